#!/usr/bin/env bash
# API benchmark: p50/p90/p99 latency of the summary and of 24-hour series at 1-minute steps at fixed
# request rates (an open-loop load generator), over one day of aggregates that one processor made
# from preloaded events; then wrk's closed-loop maximum where wrk is installed. Not a test; run by
# hand, figures in docs/performance.md.
#   bench/api.sh [perMinute=1000] [seconds=20] [warmup=10] [summaryRates=1000] [seriesRates=50,100]
#                [allRates=50] [connections=8] [wrk=10] [streamfold.*=...]
# Needs redis-server on PATH (a private one is started on a free port; REDIS_URL is honoured); wrk is
# optional. Extra JVM options of the API from API_JAVA_OPTS, e.g. a JFR recording for a profile:
#   API_JAVA_OPTS="-XX:StartFlightRecording=filename=api.jfr,settings=profile,dumponexit=true" bench/api.sh summaryRates= allRates=
exec "$(dirname "$0")/run.sh" ApiBenchmark "$@"
