#!/usr/bin/env bash
# Latency benchmark: event-to-commit p50/p99 while events arrive at a steady rate.
# Not a test; run by hand, figures in README.
#   bench/latency.sh [rate=50000] [seconds=30] [warmup=10] [processors=1] [streamfold.consumer.*=...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q package -DskipTests -pl bench -am
fi
exec java -Xmx2g -Dstreamfold.root=. -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.streamfold.bench.LatencyBenchmark "$@"
