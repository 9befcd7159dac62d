#!/usr/bin/env bash
# What Redis spends on the same commits, counted in instructions (callgrind), not seconds: repeatable whatever else
# the machine does, so a change to the commit script can be compared with the build before it to a percent or so.
# Not a test; run by hand, figures in docs/performance.md.
#   bench/commit-cost.sh [batches=50] [size=100]
# Needs valgrind and redis-server on PATH. Prints the instructions Redis spent in EVALSHA (the commit script, the
# commands it calls included), in all, and per event.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q package -DskipTests -pl bench -am
fi
out=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >"$out/redis.log" 2>&1 &
redis=$!
trap 'kill $redis 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 150); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
batches=50 size=100
for arg in "$@"; do case "$arg" in batches=*) batches=${arg#*=} ;; size=*) size=${arg#*=} ;; esac; done
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.streamfold.bench.CommitCost \
  url="redis://127.0.0.1:$port" batches="$batches" size="$size" 2>&1 | grep -v '^SLF4J'
redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
wait $redis || true
instructions=$(callgrind_annotate --inclusive=yes "$out/callgrind.out" 2>/dev/null | awk '/evalShaCommand/ && !found {gsub(",", "", $1); print $1; found = 1}')
echo "EVALSHA: $instructions instructions, $((instructions / (batches * size))) per event"
