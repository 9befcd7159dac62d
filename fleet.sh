#!/usr/bin/env bash
# Starts a whole local StreamFold fleet: Redis (REDIS_URL if set, else a private redis-server on a
# free port), the producer at a modest rate, two processors and the API. Ctrl-C stops everything.
#
# Settings (environment): REDIS_URL, API_PORT (8080), PROCESSOR_PORTS ("8081 8082"), RATE (events/s, 200),
# JAVA_OPTS (-Xmx256m), API_KEY (the API key for POST /events; a random one by default), LOG_DIR (.run/logs).
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
logs=$(realpath -m "${LOG_DIR:-$root/.run/logs}") # a relative LOG_DIR is relative to where the script was started
cd "$root"
API_PORT=${API_PORT:-8080}
PROCESSOR_PORTS=${PROCESSOR_PORTS:-"8081 8082"}
RATE=${RATE:-200}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
API_KEY=${API_KEY:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
pids=()      # the services, in the order they started
names=()
redis_pid=   # the private redis-server, stopped last so the services can commit what they hold

say() { printf '\033[1m[fleet]\033[0m %s\n' "$*"; }

stop() { # pids...: SIGTERM, up to 20 s to exit, then SIGKILL
  kill -TERM "$@" 2>/dev/null || true
  local running pid
  for _ in $(seq 1 100); do
    running=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && running=1; done
    ((running)) || break
    sleep 0.2
  done
  kill -KILL "$@" 2>/dev/null || true
}

stop_all() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    say "stopping ${#pids[@]} services..."
    stop "${pids[@]}"
  fi
  if [[ -n $redis_pid ]]; then
    say "stopping redis-server..."
    stop "$redis_pid"
  fi
  wait 2>/dev/null || true
  [[ -n "${redis_dir:-}" ]] && rm -rf "$redis_dir"
  say "stopped"
}
trap stop_all EXIT
trap "exit 130" INT
trap "exit 143" TERM

((${#API_KEY} >= 16)) || { say "API_KEY has ${#API_KEY} characters; the API accepts keys of 16 or more"; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for p in $API_PORT $PROCESSOR_PORTS; do
  port_free "$p" || { say "port $p is taken; set API_PORT / PROCESSOR_PORTS"; exit 1; }
done

command -v java >/dev/null || { say "java (JDK 17+) is required"; exit 1; }
jars=(producer/target/quarkus-app/quarkus-run.jar processor/target/quarkus-app/quarkus-run.jar api/target/quarkus-app/quarkus-run.jar)
stale=0
for jar in "${jars[@]}"; do
  if [[ ! -f $jar ]] || [[ -n $(find contract producer processor api -path '*/src/main/*' -newer "$jar" -print -quit) ]]; then stale=1; fi
done
if ((stale)); then
  command -v mvn >/dev/null || { say "Maven is required to build the fleet"; exit 1; }
  say "building (mvn -B -q -DskipTests package)..."
  mvn -B -q -DskipTests package
fi

mkdir -p "$logs"
if [[ -n "${REDIS_URL:-}" ]]; then
  redis_url=$REDIS_URL
  say "using Redis at $redis_url (REDIS_URL)"
else
  command -v redis-server >/dev/null || { say "no redis-server on PATH: install it (apt-get install redis-server) or set REDIS_URL"; exit 1; }
  redis_port=
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if [[ $candidate != 6379 ]] && port_free "$candidate"; then redis_port=$candidate; break; fi
  done
  [[ -n $redis_port ]] || { say "no free port for Redis"; exit 1; }
  redis_dir=$(mktemp -d "${TMPDIR:-/tmp}/streamfold-redis.XXXXXX")
  # In a session of its own, so a Ctrl-C in the terminal (SIGINT to the whole foreground group) does not stop Redis
  # before the services have committed what they hold; stop_all stops it last.
  setsid redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$redis_dir" --save "" --appendonly no \
    --lazyfree-lazy-expire yes --hash-max-listpack-entries 128 --daemonize no --logfile "$logs/redis.log" &
  redis_pid=$!
  redis_url="redis://127.0.0.1:$redis_port"
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && break
    sleep 0.1
  done
  say "started redis-server at $redis_url"
fi

start() { # name module java-args...
  local name=$1 module=$2
  shift 2
  # shellcheck disable=SC2086
  java $JAVA_OPTS -Dstreamfold.redis.url="$redis_url" "$@" -jar "$module/target/quarkus-app/quarkus-run.jar" \
    >"$logs/$name.log" 2>&1 &
  pids+=($!)
  names+=("$name")
}

# Whether service number $1 is still running; if not, says so with the end of its log.
alive() {
  kill -0 "${pids[$1]}" 2>/dev/null && return 0
  say "${names[$1]} exited; the end of $logs/${names[$1]}.log:"
  tail -n 15 "$logs/${names[$1]}.log" >&2
  return 1
}

n=0
for port in $PROCESSOR_PORTS; do
  n=$((n + 1))
  start "processor-$n" processor -Dquarkus.http.port="$port" -Dstreamfold.consumer.name="processor-$n"
done
STREAMFOLD_ACCESS_KEYS_LOCAL="$API_KEY" start api api -Dquarkus.http.port="$API_PORT"
start producer producer -Dstreamfold.producer.rate="$RATE"

say "waiting for the services to be ready..."
ports=($PROCESSOR_PORTS $API_PORT) # in the order the services started
for i in "${!ports[@]}"; do
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${ports[$i]}") 2>/dev/null; then break; fi
    alive "$i" || exit 1
    sleep 0.2
  done
done

cat <<INFO

  StreamFold is running (producer at $RATE events/s). Ctrl-C stops everything.

  Summary        http://localhost:$API_PORT/aggregates/summary
  API docs       http://localhost:$API_PORT/q/swagger-ui
  Ingest         curl -H 'X-API-Key: $API_KEY' -H 'Content-Type: application/json' \\
                   -d '{"event_id":"e1","user_id":"u1","session_id":"s1","event_type":"view","product":"p1","value":"1.00","ts":'\$(date +%s%3N)'}' \\
                   http://localhost:$API_PORT/events
  API health     http://localhost:$API_PORT/q/health
  API metrics    http://localhost:$API_PORT/q/metrics
$(for port in $PROCESSOR_PORTS; do echo "  Processor      http://localhost:$port/q/health  http://localhost:$port/q/metrics"; done)
  Redis          $redis_url
  Logs           $logs/

INFO

# Stay until Ctrl-C or until a service dies.
while true; do
  for i in "${!pids[@]}"; do
    alive "$i" || { say "stopping the fleet"; exit 1; }
  done
  if [[ -n $redis_pid ]] && ! kill -0 "$redis_pid" 2>/dev/null; then
    say "redis-server exited; see $logs/redis.log — stopping the fleet"
    exit 1
  fi
  sleep 1
done
