#!/usr/bin/env bash
# JMH micro-benchmarks of the aggregation path (one thread). Not a test; run by hand, figures in docs/performance.md.
#   bench/jmh.sh [JMH options, e.g. AssembleBenchmark -p batchSize=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q package -DskipTests -pl bench -am
fi
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main "${@:-AssembleBenchmark}"
