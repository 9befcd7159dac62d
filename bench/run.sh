#!/usr/bin/env bash
# Builds what the benchmarks need (unless SKIP_BUILD=1) and runs one benchmark main:
#   bench/run.sh DrainBenchmark|LatencyBenchmark|MemoryBenchmark|ApiBenchmark [name=value ...]
set -euo pipefail
cd "$(dirname "$0")/.."
main="$1"
shift
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q package -DskipTests -pl bench -am
fi
exec java -Xmx4g -Dstreamfold.root=. -Dstreamfold.logs=bench/target/logs -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  "io.streamfold.bench.$main" "$@"
