#!/usr/bin/env bash
# Benchmark of the image detail read and the like, through the gateway and straight at
# bookmark-service, with wrk at 64 connections. Rerunnable: it starts its own stack (separate
# home and ports), seeds an account, a token and images served from 127.0.0.2, measures, and
# stops the stack.
#
# Usage: deploy/bench/images.sh [seconds per run, default 20]
# Needs: a JDK, curl, openssl, python3 (to serve the seed pictures), wrk (apt-get install wrk).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION="${1:-20}"
CONNECTIONS=64
THREADS=2
export BOOKMARKS_HOME="${BOOKMARKS_HOME:-$ROOT/.local/bench}"
export BOOKMARKS_GATEWAY_PORT=28080 BOOKMARKS_AUTH_PORT=29000 BOOKMARKS_BOOKMARK_PORT=29001 \
  BOOKMARKS_GRAPH_PORT=29002 BOOKMARKS_ACTIVITY_PORT=29003 BOOKMARKS_RANKING_PORT=29004 \
  BOOKMARKS_PG_PORT=25432 BOOKMARKS_REDIS_PORT=26379 BOOKMARKS_KAFKA_PORT=29092 BOOKMARKS_KAFKA_CONTROLLER_PORT=29093 \
  BOOKMARKS_SMTP_PORT=23025 BOOKMARKS_MAIL_UI_PORT=28081
export BOOKMARKS_PUBLIC_ORIGIN="http://localhost:$BOOKMARKS_GATEWAY_PORT"
export BOOKMARKS_FETCH_ALLOWED_NETWORKS=127.0.0.2/32
ORIGIN="$BOOKMARKS_PUBLIC_ORIGIN"
DIRECT="http://127.0.0.1:$BOOKMARKS_BOOKMARK_PORT"
WORK="$(mktemp -d)"
PICTURE_PORT=80  # the default port: nothing to allow beyond the network

for tool in wrk curl openssl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done

cleanup() {
  [[ -n "${PICTURES_PID:-}" ]] && kill "$PICTURES_PID" 2>/dev/null || true
  "$ROOT/deploy/local/bookmarks" down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/deploy/local/bookmarks" up

# Seed pictures: a few PNGs served from 127.0.0.2 (the allowed network).
mkdir -p "$WORK/pictures"
python3 - "$WORK/pictures" <<'PY'
import sys, zlib, struct
def png(w, h, seed):
    raw = b''.join(b'\x00' + bytes(((x * 7 + y * 3 + seed) % 256) for x in range(w * 3)) for y in range(h))
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
for i in range(20):
    open(f"{sys.argv[1]}/p{i}.png", 'wb').write(png(800, 600, i))
PY
python3 -m http.server "$PICTURE_PORT" --bind 127.0.0.2 --directory "$WORK/pictures" >/dev/null 2>&1 &
PICTURES_PID=$!

# An account and an access token: authorization code + PKCE, as the mobile app does.
USER="bench$RANDOM$RANDOM"; PASS="quiet harbor lantern $RANDOM$RANDOM"
curl -sS -o /dev/null --fail-with-body -X POST "$ORIGIN/api/accounts" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USER\",\"email\":\"$USER@example.com\",\"password\":\"$PASS\"}"
VERIFIER="$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\n')"
CHALLENGE="$(printf '%s' "$VERIFIER" | openssl dgst -sha256 -binary | openssl base64 | tr '+/' '-_' | tr -d '=\n')"
JAR="$WORK/cookies"
AUTHORIZE="$ORIGIN/auth/oauth2/authorize?response_type=code&client_id=bookmarks-mobile&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback&scope=openid&state=s&code_challenge=$CHALLENGE&code_challenge_method=S256"
LOGIN_PAGE="$(curl -fsS -L -c "$JAR" -b "$JAR" "$AUTHORIZE")"
CSRF="$(printf '%s' "$LOGIN_PAGE" | grep -o 'name="_csrf"[^>]*value="[^"]*"' | sed 's/.*value="//; s/"$//')"
LOCATION="$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" -X POST "$ORIGIN/auth/login" \
  --data-urlencode "username=$USER" --data-urlencode "password=$PASS" --data-urlencode "_csrf=$CSRF")"
for _ in 1 2 3; do
  [[ "$LOCATION" == http://127.0.0.1/callback* ]] && break
  LOCATION="$(curl -sS -o /dev/null -w '%{redirect_url}' -c "$JAR" -b "$JAR" "$LOCATION")"
done
CODE="$(printf '%s' "$LOCATION" | sed 's/.*[?&]code=\([^&]*\).*/\1/')"
TOKEN="$(curl -fsS -X POST "$ORIGIN/auth/oauth2/token" -d grant_type=authorization_code -d "code=$CODE" \
  -d redirect_uri=http://127.0.0.1/callback -d client_id=bookmarks-mobile -d "code_verifier=$VERIFIER" \
  | sed 's/.*"access_token":"\([^"]*\)".*/\1/')"

IDS=()
for i in $(seq 0 19); do
  IDS+=("$(curl -fsS -X POST "$ORIGIN/api/images" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.2:$PICTURE_PORT/p$i.png\",\"title\":\"Bench $i\"}" | sed 's/^{"id":"\([^"]*\)".*/\1/')")
done
echo "seeded ${#IDS[@]} images as $USER"

# wrk scripts: round-robin over the seeded ids, with the bearer token.
cat > "$WORK/detail.lua" <<LUA
local ids = {$(printf '"%s",' "${IDS[@]}")}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/images/" .. ids[(n % #ids) + 1], {["Authorization"] = "Bearer $TOKEN"})
end
LUA
sed 's/"GET", "\/api\/images\/" .. ids\[(n % #ids) + 1\]/"PUT", "\/api\/images\/" .. ids[(n % #ids) + 1] .. "\/like"/' \
  "$WORK/detail.lua" > "$WORK/like.lua"

run() { # label url script
  echo "== $1"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$3" "$2" | grep -E "Requests/sec|99%|50%|Non-2xx|Socket errors"
}
run "warm-up (not counted)" "$DIRECT" "$WORK/detail.lua" >/dev/null
run "image detail, straight to bookmark-service" "$DIRECT" "$WORK/detail.lua"
run "image detail, through the gateway" "$ORIGIN" "$WORK/detail.lua"
run "like (idempotent PUT), straight to bookmark-service" "$DIRECT" "$WORK/like.lua"
run "like (idempotent PUT), through the gateway" "$ORIGIN" "$WORK/like.lua"
