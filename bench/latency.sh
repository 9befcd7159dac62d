#!/usr/bin/env bash
# Latency benchmark: event-to-commit p50/p99 while events arrive at a steady rate.
# Not a test; run by hand, figures in docs/performance.md.
#   bench/latency.sh [rate=50000] [seconds=30] [warmup=10] [processors=1] [aof=no|everysec|always] [streamfold.consumer.*=...]
exec "$(dirname "$0")/run.sh" LatencyBenchmark "$@"
