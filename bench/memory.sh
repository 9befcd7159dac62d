#!/usr/bin/env bash
# Memory benchmark: Redis memory per day of retention of the aggregates. Preloads one day of events
# stamped over the last 24 hours, drains them with one processor, deletes the stream and the batch
# ledger, and breaks what remains down by key kind. Not a test; run by hand, figures in docs/performance.md.
#   bench/memory.sh [perMinute=1000] [users=10000] [streamfold.*=...]
# Needs redis-server on PATH (a private one is started on a free port; REDIS_URL is honoured).
exec "$(dirname "$0")/run.sh" MemoryBenchmark "$@"
