#!/usr/bin/env bash
# Benchmark of the activity feed on a stack of its own (separate home and ports; rerunnable, the seed is kept):
#   1. seeds activity-service's database straight with SQL (deploy/bench/feed-seed.sql): 10,000 people following
#      200 each, 1,000,000 actions; only on the first run;
#   2. GET /api/feed through the gateway for random seeded people (tokens signed with the stack's own auth-service
#      key, so every service validates them as usual), with wrk at 4 and 32 connections;
#      first cold (no reader has a timeline: fan-out on read), then warm (after reading until every sampled reader's
#      timeline is built, as for people who use the site); warm also straight at activity-service, without the gateway;
#   3. EXPLAIN (ANALYZE, BUFFERS) of the feed query as the service runs it, by fan-out on read and from a timeline;
#   4. the lag from an event's publication on Kafka to its action in a follower's feed and on open SSE streams,
#      at a steady rate (deploy/bench/feed-bench.java), after LAG_WARM_UP seconds (default 120) of the same load
#      unmeasured, since the reads before never ran the consumers' code in any JVM; the run's own first 3 s are
#      reported apart (its start is not the steady rate), and its slowest seconds are named.
#
# Usage: deploy/bench/feed.sh [seconds per wrk run, default 30] [seconds of lag run, default 60] [events/s, 500]
#                              [publishers, default 1000: the events come from that many people, round robin; the 20
#                              measured readers follow 50 of them, so each stream carries 50/publishers of the rate]
# Needs: a JDK 17+, psql, wrk (apt-get install wrk postgresql-client). Builds the jars if missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION="${1:-30}"
LAG_SECONDS="${2:-60}"
RATE="${3:-500}"
PUBLISHERS="${4:-1000}"
export BOOKMARKS_HOME="${BOOKMARKS_HOME:-$ROOT/.local/bench-feed}"
# Ports below the kernel's ephemeral range (32768+), so that no test's random free port takes one meanwhile.
export BOOKMARKS_GATEWAY_PORT=21080 BOOKMARKS_AUTH_PORT=21000 BOOKMARKS_BOOKMARK_PORT=21001 \
  BOOKMARKS_GRAPH_PORT=21002 BOOKMARKS_ACTIVITY_PORT=21003 BOOKMARKS_RANKING_PORT=21004 \
  BOOKMARKS_PG_PORT=21432 BOOKMARKS_REDIS_PORT=21379 BOOKMARKS_KAFKA_PORT=21092 BOOKMARKS_KAFKA_CONTROLLER_PORT=21093 \
  BOOKMARKS_SMTP_PORT=21025 BOOKMARKS_MAIL_UI_PORT=21081
export BOOKMARKS_PUBLIC_ORIGIN="http://localhost:$BOOKMARKS_GATEWAY_PORT"
ORIGIN="$BOOKMARKS_PUBLIC_ORIGIN"
WORK="$(mktemp -d)"

for tool in wrk psql java javac jar; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done

cleanup() {
  [[ -n "${KEEP_STACK:-}" ]] || "$ROOT/deploy/local/bookmarks" down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/deploy/local/bookmarks" up
PSQL=(psql -h 127.0.0.1 -p "$BOOKMARKS_PG_PORT" -U postgres -d activity -v ON_ERROR_STOP=1 -qAt)

if [[ "$("${PSQL[@]}" -c "SELECT count(*) FROM actor WHERE username = 'bench1'")" == 0 ]]; then
  echo "== seeding (once per stack home)"
  start=$(date +%s)
  "${PSQL[@]}" -f "$ROOT/deploy/bench/feed-seed.sql"
  echo "seeded in $(( $(date +%s) - start )) s"
fi
"${PSQL[@]}" -c "SELECT 'actions: ' || (SELECT count(*) FROM action) || ', edges: ' || (SELECT count(*) FROM follow_edge WHERE following) || ', people: ' || (SELECT count(*) FROM actor)"

# The bench tool runs on activity-service's own libraries (nimbus-jose-jwt, kafka-clients).
(cd "$WORK" && jar xf "$ROOT/activity-service/target/activity-service-0.1.0-SNAPSHOT.jar" BOOT-INF/lib)
# Compiled once, and run on a small JVM (C1 only, serial GC): the load generator shares the two cores with the
# system it measures. Run as a source file, each lag run compiled it again and its JVM spent a third of the
# machine's CPU in the measured 30 s (javac, class loading and C2 compiling the Kafka and HTTP clients).
mkdir -p "$WORK/bench-src" "$WORK/bench-classes"
cp "$ROOT/deploy/bench/feed-bench.java" "$WORK/bench-src/FeedBench.java"
javac -nowarn -d "$WORK/bench-classes" -cp "$WORK/BOOT-INF/lib/*" "$WORK/bench-src/FeedBench.java"
CP="$WORK/bench-classes:$WORK/BOOT-INF/lib/*"
BENCH_JAVA=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$CP" FeedBench)
KEY="$BOOKMARKS_HOME/data/keys/auth-signing-key.json"
"${PSQL[@]}" -c "SELECT id FROM actor WHERE username LIKE 'bench%' ORDER BY random() LIMIT 2000" > "$WORK/ids"
"${BENCH_JAVA[@]}" tokens "$KEY" "$ORIGIN/auth" "$WORK/ids" "$WORK/tokens.lua"

cat > "$WORK/feed.lua" <<LUA
dofile("$WORK/tokens.lua")
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("seed", counter) end
init = function() math.randomseed(os.time() * 100 + seed) end
request = function()
  return wrk.format("GET", "/api/feed", {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]})
end
LUA

run() { # connections [origin, default the gateway's]
  local route="through the gateway"
  [[ -z "${2:-}" ]] || route="straight at activity-service (no gateway)"
  echo "== GET /api/feed $route, random seeded people, $1 connections, ${DURATION}s"
  wrk -t2 -c"$1" -d"${DURATION}s" --latency -s "$WORK/feed.lua" "${2:-$ORIGIN}" \
    | grep -E "Requests/sec|  50%|  90%|  99%|Non-2xx|Socket errors|Latency "
}
# Cold: before any of these people has a timeline, every read is fan-out on read (and asks for the reader's timeline).
"${PSQL[@]}" -c "TRUNCATE feed_reader, feed_entry"
echo "== cold: no timelines yet (fan-out on read for every read)"
run 4
# Warm-up: the readers' timelines are built in the background after their first read. Read on until every sampled
# person has one (at most WARM_UP_LIMIT seconds), as for people who use the site.
WARM_UP_LIMIT="${WARM_UP_LIMIT:-300}"
start=$(date +%s)
while :; do
  wrk -t2 -c8 -d10s -s "$WORK/feed.lua" "$ORIGIN" >/dev/null
  ready="$("${PSQL[@]}" -c "SELECT count(*) FROM feed_reader WHERE ready_at IS NOT NULL")"
  echo "warm-up: $ready of $(wc -l < "$WORK/ids") timelines ready after $(( $(date +%s) - start )) s"
  (( ready >= $(wc -l < "$WORK/ids") || $(date +%s) - start > WARM_UP_LIMIT )) && break
done
# The reads so far were mostly fan-out on read: give the JIT a minute of timeline reads before measuring.
wrk -t2 -c8 -d60s -s "$WORK/feed.lua" "$ORIGIN" >/dev/null
echo "== warm: the readers' timelines are ready"
cpu() { # CPU ticks (1/100 s) of this stack's processes: each service's JVM, the infra JVM (Kafka), PostgreSQL, Redis
  local pids postmaster
  pids="$(pgrep -f "$BOOKMARKS_HOME/run/jars" || true)"
  postmaster="$(pgrep -f "postgres.*$BOOKMARKS_HOME" | head -n 1 || true)"
  [[ -n "$postmaster" ]] && pids="$pids $postmaster $(pgrep -P "$postmaster" || true)"
  pids="$pids $(pgrep -f "redis-server.*$BOOKMARKS_REDIS_PORT" || true)"
  for pid in $pids; do
    name="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -o '[a-z-]*-0\.1\.0-SNAPSHOT\|postgres\|redis-server' | head -n 1)"
    [[ -n "$name" ]] && echo "${name%-0.1.0-SNAPSHOT} $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
  done | awk '{t[$1] += $2} END {for (k in t) print k, t[k]}' | sort
}
cpu > "$WORK/cpu-before"
run 4 | tee "$WORK/run4"
cpu > "$WORK/cpu-after"
requests="$(awk '/Requests\/sec/ {print $2}' "$WORK/run4")"
echo "CPU per request at 4 connections (ms), by process:"
join "$WORK/cpu-before" "$WORK/cpu-after" \
  | awk -v rps="$requests" -v secs="$DURATION" '{printf "  %-22s %.2f\n", $1, ($3 - $2) * 10 / (rps * secs)}'
run 32
# The same reads straight at activity-service: what the feed costs without the gateway's hop, the floor of the figures
# through it (at 32 connections the cores are saturated either way, so p50 is about 32 / throughput).
run 4 "http://127.0.0.1:$BOOKMARKS_ACTIVITY_PORT"
run 32 "http://127.0.0.1:$BOOKMARKS_ACTIVITY_PORT"
"${PSQL[@]}" -c "SELECT 'timeline entries: ' || count(*) FROM feed_entry"

USER_ID="$(head -n 1 "$WORK/ids")"
# Both reads show a page (the CTE page) the same way (FeedQueries.SHOW).
SHOW="SELECT p.id, p.verb, p.created_at, p.tx, p.actor_id, ac.username AS actor_username, ac.photo_url AS actor_photo,
       p.target_type, p.target_id, i.title, i.thumbnail_url, tu.username AS target_username
FROM page p
JOIN actor ac ON ac.id = p.actor_id
LEFT JOIN image i ON p.target_type = 'image' AND i.id = p.target_id
LEFT JOIN actor tu ON p.target_type = 'user' AND tu.id = p.target_id
ORDER BY p.created_at DESC, p.id DESC;"
echo "== EXPLAIN (ANALYZE, BUFFERS) of the feed's first page for $USER_ID (the statement FeedQueries.feedSql runs)"
"${PSQL[@]}" <<SQL
EXPLAIN (ANALYZE, BUFFERS)
WITH edges AS (SELECT count(*) AS c FROM (SELECT 1 FROM follow_edge f
               WHERE f.follower_id = '$USER_ID' AND f.following AND f.followee_id <> '$USER_ID' LIMIT 2001) e),
page AS (SELECT * FROM (
  (SELECT a.* FROM follow_edge f CROSS JOIN LATERAL (
     SELECT id, actor_id, verb, target_type, target_id, created_at, tx FROM action
     WHERE actor_id = f.followee_id ORDER BY created_at DESC, id DESC LIMIT 21) a
   WHERE f.follower_id = '$USER_ID' AND f.following AND f.followee_id <> '$USER_ID'
     AND (SELECT c FROM edges) BETWEEN 1 AND 2000
   ORDER BY a.created_at DESC, a.id DESC LIMIT 21)
  UNION ALL (SELECT id, actor_id, verb, target_type, target_id, created_at, tx FROM action
             WHERE actor_id <> '$USER_ID' AND (SELECT c FROM edges) = 0 ORDER BY created_at DESC, id DESC LIMIT 21)
  UNION ALL (SELECT id, actor_id, verb, target_type, target_id, created_at, tx FROM action a
             WHERE a.actor_id <> '$USER_ID' AND (SELECT c FROM edges) > 2000
               AND EXISTS (SELECT 1 FROM follow_edge f WHERE f.follower_id = '$USER_ID' AND f.followee_id = a.actor_id
                           AND f.following)
             ORDER BY created_at DESC, id DESC LIMIT 21)) u
  ORDER BY created_at DESC, id DESC LIMIT 21)
$SHOW
SQL

echo "== EXPLAIN (ANALYZE, BUFFERS) of the same page from $USER_ID's timeline (FeedQueries.timeline)"
"${PSQL[@]}" <<SQL
EXPLAIN (ANALYZE, BUFFERS)
WITH reader AS (SELECT ready_at IS NOT NULL AS ready, horizon FROM feed_reader WHERE reader_id = '$USER_ID'),
page AS (SELECT a.id, a.actor_id, a.verb, a.target_type, a.target_id, a.created_at, a.tx
  FROM feed_entry e JOIN action a ON a.id = e.action_id
  WHERE e.reader_id = '$USER_ID' AND EXISTS (SELECT 1 FROM reader WHERE ready) AND a.actor_id <> '$USER_ID'
    AND (SELECT f.following FROM follow_edge f WHERE f.follower_id = '$USER_ID' AND f.followee_id = a.actor_id)
  ORDER BY e.created_at DESC, e.action_id DESC LIMIT 21)
$SHOW
SQL

# The reads above never ran the event consumers' code: give the JIT the same steady publication first (unmeasured),
# so that the figure is the steady state the target speaks of, not a JVM's start-up.
LAG_WARM_UP="${LAG_WARM_UP:-120}"
if (( LAG_WARM_UP > 0 )); then
  echo "== lag warm-up: $RATE events/s for ${LAG_WARM_UP}s (not measured)"
  "${BENCH_JAVA[@]}" lag "127.0.0.1:$BOOKMARKS_KAFKA_PORT" "$ORIGIN" "$KEY" \
    "$ORIGIN/auth" "$RATE" "$LAG_WARM_UP" 20 "$PUBLISHERS" 2>/dev/null | grep -E "^publication" | sed 's/^/  warm-up: /' || true
fi
echo "== lag at $RATE events/s for ${LAG_SECONDS}s"
LAG_START="$("${PSQL[@]}" -c "SELECT now()")"
"${BENCH_JAVA[@]}" lag "127.0.0.1:$BOOKMARKS_KAFKA_PORT" "$ORIGIN" "$KEY" \
  "$ORIGIN/auth" "$RATE" "$LAG_SECONDS" 20 "$PUBLISHERS" 2>/dev/null | grep -E "^(published|publication|  samples)"
# What activity-service kept up with: events applied (processed_at is each batch's transaction start) per second.
"${PSQL[@]}" -c "SELECT 'applied ' || count(*) || ' events in ' || round(extract(epoch FROM max(processed_at) - min(processed_at))::numeric, 1) || ' s: ' || round(count(*) / greatest(extract(epoch FROM max(processed_at) - min(processed_at)), 0.001)::numeric) || ' events/s, in ' || count(DISTINCT processed_at) || ' transactions' FROM processed_event WHERE consumer = 'actions' AND processed_at > '$LAG_START'"
