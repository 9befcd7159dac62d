#!/usr/bin/env bash
# Checks, before anything is built, that every external tool the tests of `mvn -B verify` run is on this machine, and
# fails at once with one message that lists every missing or too old tool and how to install it, rather than a test
# failing half an hour in. The root pom runs it in the validate phase of the parent project only (not in the modules),
# so it runs first, once, whenever the root is in the reactor (`mvn verify`, or `-pl <module> -am`).
#
#   redis-server   every test class starts its own Redis (test-support RedisServers): REDIS_URL if set; else a redis:7
#                  container when a Docker engine answers; else redis-server, from REDIS_SERVER if set, else from PATH
#   g++ 12+, gcc   processor: the CUDA kernel runs on the CPU emulator, compiled with g++ -std=c++20 (EmulatedKernelTest);
#                  NoGpuTest builds a stub libcuda with gcc
#   promtool       deploy-tests: checks the Prometheus configuration, rules and dashboard PromQL (PATH)
#   prometheus     e2e ScrapeIT runs /usr/bin/prometheus (that path, not PATH)
#   kubectl 1.21+  deploy-tests: renders k8s/ with `kubectl kustomize` (kustomize components)
#
# Skip it (you know the tests you run need none of these): mvn -Dprerequisites.skip ...
# Run it by hand: build/check-prerequisites.sh
set -uo pipefail

MIN_GXX=12
MIN_KUBECTL_MINOR=21

problems=()  # one line per missing or too old tool
packages=()  # Debian packages that bring them
notes=()     # things that do not fail the check but will fail a test
need_kubectl=0

missing() { # description [debian package]
  problems+=("$1")
  if [[ -n ${2:-} ]]; then packages+=("$2"); fi
}

# Mirrors RedisServers.start: the tests take the first of REDIS_URL, Docker, redis-server.
check_redis() {
  if [[ -n ${REDIS_URL:-} ]]; then
    local port
    port=$(sed -E 's#^[a-z]+://([^@/]*@)?[^:/]*(:([0-9]+))?.*$#\3#' <<<"$REDIS_URL")
    if [[ ${port:-6379} == 6379 ]]; then
      missing "REDIS_URL points at port 6379, which the tests refuse (they empty their server); unset it, the tests then start their own redis-server"
    else
      notes+=("REDIS_URL is set: every test uses that server (emptied by FLUSHALL) and FaultIT, which kills and restarts Redis, fails; unset it to let the tests start their own")
    fi
    return
  fi
  if [[ -n ${REDIS_SERVER:-} ]]; then
    [[ -x $REDIS_SERVER ]] || missing "redis-server: REDIS_SERVER=$REDIS_SERVER is not an executable file (unset it to use redis-server from PATH)" redis-server
    return
  fi
  command -v redis-server >/dev/null && return
  if [[ -n ${DOCKER_HOST:-} || -S /var/run/docker.sock || -f $HOME/.testcontainers.properties ]] \
      && command -v docker >/dev/null && timeout 10 docker info >/dev/null 2>&1; then
    return
  fi
  missing "redis-server: not on PATH, no Docker engine answers and REDIS_URL is unset (each test class starts its own Redis)" redis-server
}

check_gxx() {
  if ! command -v g++ >/dev/null; then
    missing "g++ $MIN_GXX or newer: not on PATH (processor tests compile the CUDA emulation with g++ -std=c++20)" g++
    return
  fi
  local version
  version=$(timeout 10 g++ -dumpfullversion -dumpversion 2>/dev/null | head -n 1)
  if [[ ! $version =~ ^([0-9]+) ]] || ((BASH_REMATCH[1] < MIN_GXX)); then
    missing "g++ $MIN_GXX or newer: $(command -v g++) is version ${version:-unknown} (processor tests compile the CUDA emulation with g++ -std=c++20)" g++
  fi
  command -v gcc >/dev/null || missing "gcc: not on PATH (processor NoGpuTest builds a stub libcuda with it)" gcc
}

check_prometheus() {
  command -v promtool >/dev/null \
    || missing "promtool: not on PATH (deploy-tests check the Prometheus configuration, rules and PromQL with it)" prometheus
  [[ -x /usr/bin/prometheus ]] \
    || missing "prometheus: /usr/bin/prometheus is missing (e2e ScrapeIT scrapes a live fleet with it; that path, not PATH)" prometheus
}

check_kubectl() {
  if ! command -v kubectl >/dev/null; then
    missing "kubectl 1.$MIN_KUBECTL_MINOR or newer: not on PATH (deploy-tests render k8s/ with kubectl kustomize)"
    need_kubectl=1
    return
  fi
  local json minor version
  json=$(timeout 20 kubectl version --client -o json 2>/dev/null)
  minor=$(sed -nE 's/.*"minor": *"([0-9]+).*/\1/p' <<<"$json" | head -n 1)
  version=$(sed -nE 's/.*"gitVersion": *"([^"]+)".*/\1/p' <<<"$json" | head -n 1)
  if [[ -z $minor ]] || ! grep -qE '"major": *"1"' <<<"$json" || ((minor < MIN_KUBECTL_MINOR)); then
    missing "kubectl 1.$MIN_KUBECTL_MINOR or newer: $(command -v kubectl) is ${version:-of unknown version} (deploy-tests render k8s/ with kubectl kustomize, which must know kustomize components)"
    need_kubectl=1
  fi
}

report() {
  local note
  for note in "${notes[@]}"; do echo "[prerequisites] note: $note"; done
  if ((${#problems[@]} == 0)); then
    echo "[prerequisites] OK: redis, g++, gcc, promtool, /usr/bin/prometheus, kubectl"
    return 0
  fi
  {
    echo
    echo "[prerequisites] mvn verify stopped before building: the tests need ${#problems[@]} tool(s) this machine lacks:"
    local problem
    for problem in "${problems[@]}"; do echo "  - $problem"; done
    echo "Install:"
    if ((${#packages[@]})); then
      echo "  Debian/Ubuntu: sudo apt-get install --no-install-recommends $(printf '%s\n' "${packages[@]}" | sort -u | paste -sd ' ')"
    fi
    if ((need_kubectl)); then
      echo "  kubectl (not from Debian's apt: its kubernetes-client is 1.20, too old): the Kubernetes apt repository,"
      echo "    https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/ (pkgs.k8s.io), or the static binary:"
      echo "    curl -fLO \"https://dl.k8s.io/release/\$(curl -fsL https://dl.k8s.io/release/stable.txt)/bin/linux/amd64/kubectl\""
      echo "    sudo install -m 0755 kubectl /usr/local/bin/kubectl"
    fi
    echo "Skip this check (only if the tests you run need none of them): mvn -Dprerequisites.skip ..."
    echo
  } >&2
  return 1
}

check_redis
check_gxx
check_prometheus
check_kubectl
report
