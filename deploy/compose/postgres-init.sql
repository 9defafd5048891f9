-- One database per service, as on the local stack and in the Kubernetes manifests.
CREATE DATABASE auth;
CREATE DATABASE bookmark;
CREATE DATABASE graph;
CREATE DATABASE activity;
