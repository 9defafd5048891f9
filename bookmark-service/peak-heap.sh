#!/usr/bin/env bash
# Smallest -Xmx (MiB) with which one 50-megapixel save's picture processing completes, for a solid
# JPEG and a solid PNG of 7071x7071, less what the same probe needs to read the file and exit.
# It compiles what it needs (offline). Run from anywhere:
#   bash bookmark-service/peak-heap.sh [extra-classes-dir-first-on-class-path]
# The JVM options are the local stack's (deploy/local/service-java-options) with -Xmx replaced.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# With -am the reactor modules resolve to their target/classes; bookmark-service writes the file last.
(cd "$ROOT" && ./mvnw -q -o -pl bookmark-service -am test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
CP="${1:+$1:}$ROOT/bookmark-service/target/classes:$ROOT/bookmark-service/target/test-classes:$(cat "$WORK/cp.txt")"
read -r -a OPTS <<< "$(grep -v '^#' "$ROOT/deploy/local/service-java-options" | tr '\n' ' ' | sed 's/-Xmx[^ ]*//; s/-Xms[^ ]*//')"
java -Xmx2g -cp "$CP" dev.bookmarks.bookmark.picture.PeakHeapProbe write "$WORK" >/dev/null
smallest() { # mode file: binary search over 8..1024 MiB
  local low=8 high=1024
  while (( high - low > 2 )); do
    local mid=$(( (low + high) / 2 ))
    if java "${OPTS[@]}" -Xms8m -Xmx${mid}m -cp "$CP" dev.bookmarks.bookmark.picture.PeakHeapProbe "$1" "$2" >/dev/null 2>&1; then
      high=$mid
    else
      low=$mid
    fi
  done
  echo "$high"
}
for picture in solid-7071.jpg solid-7071.png; do
  idle=$(smallest idle "$WORK/$picture")
  busy=$(smallest process "$WORK/$picture")
  echo "$picture: needs -Xmx${busy}m (idle probe ${idle}m): one save takes about $(( busy - idle )) MiB"
done
