-- A tiny domain for the backbone tests: greetings written with an outbox event, and a
-- projection that counts every application of an event (so a double apply would show).
CREATE TABLE greeting (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE greeting_seen (name text PRIMARY KEY, times int NOT NULL);
