#!/usr/bin/env bash
# Creates the Secrets the Bookmarks manifests reference (deploy/README.md, "Secrets") in a namespace, with random
# passwords and a new RSA signing key. A Secret that exists is left alone, so running it again is safe.
#
# Usage: deploy/k8s/create-secrets.sh NAMESPACE
#   S3_ACCESS_KEY, S3_SECRET_KEY                the picture bucket's credentials (Secret bookmarks-s3)
#   BACKUP_S3_ACCESS_KEY, BACKUP_S3_SECRET_KEY  prod: the PostgreSQL backup bucket's (Secret bookmarks-db-backup-s3)
# Needs kubectl and openssl.
set -euo pipefail

NAMESPACE="${1:?usage: $0 NAMESPACE}"
kc() { kubectl -n "$NAMESPACE" "$@"; }
exists() { kc get secret "$1" >/dev/null 2>&1; }
random() { openssl rand -hex 24; }
say() { printf '%s\n' "$*"; }

# A basic-auth Secret per service database: CloudNativePG sets the role's password from it, the service logs in with it.
for role in auth bookmark graph activity; do
  name="bookmarks-db-$role"
  if exists "$name"; then say "kept    $name"; continue; fi
  kc create secret generic "$name" --type=kubernetes.io/basic-auth \
    --from-literal=username="$role" --from-literal=password="$(random)" >/dev/null
  say "created $name"
done

if exists bookmarks-redis; then say "kept    bookmarks-redis"; else
  kc create secret generic bookmarks-redis --from-literal=password="$(random)" >/dev/null
  say "created bookmarks-redis"
fi

if exists gateway-client-secret; then say "kept    gateway-client-secret"; else
  kc create secret generic gateway-client-secret --from-literal=client-secret="$(random)" >/dev/null
  say "created gateway-client-secret"
fi

if exists auth-signing-key; then say "kept    auth-signing-key"; else
  key="$(mktemp)"; trap 'rm -f "$key"' EXIT
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null
  kc create secret generic auth-signing-key --from-file=signing-key.pem="$key" >/dev/null
  say "created auth-signing-key (keep a copy: deploy/README.md, \"Back up and restore\")"
fi

s3_secret() { # name access-key secret-key
  if exists "$1"; then say "kept    $1"; return; fi
  if [[ -z "$2" || -z "$3" ]]; then say "MISSING $1: set its access and secret key variables and run again"; return; fi
  kc create secret generic "$1" --from-literal=access-key="$2" --from-literal=secret-key="$3" >/dev/null
  say "created $1"
}
s3_secret bookmarks-s3 "${S3_ACCESS_KEY:-}" "${S3_SECRET_KEY:-}"
# The dev overlay has no backups.
if [[ "$NAMESPACE" != *dev* ]]; then
  s3_secret bookmarks-db-backup-s3 "${BACKUP_S3_ACCESS_KEY:-}" "${BACKUP_S3_SECRET_KEY:-}"
fi

exists bookmarks-tls || say "MISSING bookmarks-tls (prod): the Ingress certificate, from cert-manager or kubectl create secret tls"
say "optional: bookmarks-smtp (username, password) for a mail server with a login; auth-previous-keys during a key rotation"
