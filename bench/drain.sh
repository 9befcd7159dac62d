#!/usr/bin/env bash
# Drain benchmark: how fast 1 and 2 processors empty a preloaded backlog, next to Redis's own
# in-server XREADGROUP + XACK ceiling on the same data. Not a test; run by hand, figures in docs/performance.md.
#   bench/drain.sh [events=1000000] [warmup=300000] [processors=1,2] [batch=1000] [aof=no|everysec|always] [streamfold.consumer.*=...]
# Needs redis-server on PATH (a private one is started on a free port; REDIS_URL is honoured).
exec "$(dirname "$0")/run.sh" DrainBenchmark "$@"
