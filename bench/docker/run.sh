#!/usr/bin/env bash
# Docker Compose vs bootwave on the same engine (issue 4, "Numbers"). One command:
#   bench/docker/run.sh [--runs 3] [--intervals 30s,2s] [--temporal cold,warm] [--tools compose,compose2,floor,bootwave]
#     [--json results.json]
# Provisions the engine and images, builds bootwave, runs the harness, and removes every container and network it
# started (labels bwbench-*), even when a run fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/node.sh
bootwave_ensure_node
source scripts/lib/docker.sh
bootwave_ensure_docker_for_tests
source scripts/lib/compose.sh
bootwave_ensure_compose_v2 >/dev/null # exports BOOTWAVE_COMPOSE_V2: Docker Compose v2, the second peer

cleanup() {
  # Everything the harness names starts with bwbench-<pid>-: Compose projects and bootwave plans alike.
  local ids
  ids=$(docker ps -a --filter "label=com.docker.compose.project" --format '{{.ID}} {{.Label "com.docker.compose.project"}}' \
    | awk -v p="bwbench-compose-$bench_pid-" 'index($2, p) == 1 {print $1}')
  ids+=" "$(docker ps -a --filter "label=bootwave.plan" --format '{{.ID}} {{.Label "bootwave.plan"}}' \
    | awk -v p="bwbench-bootwave-$bench_pid-" 'index($2, p) == 1 {print $1}')
  ids+=" "$(docker ps -a --filter "label=bwbench.floor" --format '{{.ID}} {{.Label "bwbench.floor"}}' \
    | awk -v p="bwbench-floor-$bench_pid-" 'index($2, p) == 1 {print $1}')
  # shellcheck disable=SC2086
  [ -n "${ids// /}" ] && docker rm -f -v $ids >/dev/null || true
  docker network ls --format '{{.Name}}' | grep -E "^(bwbench-compose-$bench_pid-|bwbench-floor-$bench_pid-|bootwave-bwbench-bootwave-$bench_pid-)" \
    | xargs -r docker network rm >/dev/null || true
}

[ -d node_modules ] || npm install --no-audit --no-fund
npm run build >/dev/null
npx tsc -p bench/docker/tsconfig.json
echo "machine: nproc $(nproc); $(free -h | awk '/Mem:/ {print "mem " $2 " total, " $7 " available"}')"
echo "engine: docker $(docker version --format '{{.Server.Version}}'); $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /'); $("$BOOTWAVE_COMPOSE_V2" version --short | sed 's/^/docker compose /')"
node dist-bench/docker/compose-vs-bootwave.js "$@" &
bench_pid=$!
trap 'kill "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true; cleanup' EXIT INT TERM
wait "$bench_pid"
