#!/usr/bin/env bash
# Benchmark of ranking-service: views applied per second by one instance, redis-benchmark of the
# same commands (EVALSHA of the apply script, ZINCRBY, INCR) on the same Redis in the same run, and
# the lag from ImageViewed publication to the ranking at a steady rate. Rerunnable: every run uses
# keys and consumer groups of its own. Prints the lines starting with BENCH.
#
# By default Redis and Kafka are the embedded ones of the tests (started and stopped by the run).
# To measure against the local stack's (deploy/local/bookmarks up), name them:
#   BOOKMARKS_REDIS_URL=redis://127.0.0.1:16379 BOOKMARKS_KAFKA_BOOTSTRAP=127.0.0.1:19092 deploy/bench/rankings.sh
# (the views topic then holds earlier views too: the new consumer group applies them as well).
#
# Usage: deploy/bench/rankings.sh [backlog views, default 200000] [rate views/s, default 1000] [seconds, default 30]
# Needs: a JDK 17, redis-benchmark (apt-get install redis-tools).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BACKLOG="${1:-200000}"
RATE="${2:-1000}"
SECONDS_AT_RATE="${3:-30}"
command -v redis-benchmark >/dev/null || { echo "bench: redis-benchmark is needed" >&2; exit 1; }

cd "$ROOT"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
# Offline when the dependencies are there already; the reactor builds ranking-service and what it needs.
MVN_OFFLINE=()
[[ -d "${HOME}/.m2/repository/org/springframework/boot" ]] && MVN_OFFLINE=(-o)
if ! ./mvnw -B "${MVN_OFFLINE[@]}" -pl ranking-service -am verify -Dtest=RankingsBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true \
    -Dbookmarks.bench=true -Dbookmarks.bench.backlog="$BACKLOG" -Dbookmarks.bench.rate="$RATE" \
    -Dbookmarks.bench.seconds="$SECONDS_AT_RATE" >"$LOG" 2>&1; then
  tail -n 60 "$LOG" >&2
  echo "bench: the run failed (full log above)" >&2
  exit 1
fi
# The test's output reaches the Maven log; each figure once, in the order measured.
grep '^BENCH' "$LOG" | awk '!seen[$0]++'
