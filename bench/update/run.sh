#!/usr/bin/env bash
# Update time and failed requests per changed service, bootwave beside its peers on the same change (issue 12,
# "Numbers"). One command:
#   bench/update/run.sh [--runs 3] [--only docker,process,kubernetes] [--kubeconfig FILE] [--json results.json]
# Docker: `bootwave update` vs `docker-compose up -d` (1.29) and `docker compose up -d --wait` (v2) of the same
# edited Compose file, with a client polling every service. Kubernetes: KOSMOS on a kwok cluster of its own (or the
# one --kubeconfig names), `bootwave update` vs `kubectl apply` + `kubectl rollout status`, time only.
# Removes every container, network, namespace and cluster it started, also when a run fails or on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/node.sh
bootwave_ensure_node

only=docker,process,kubernetes
kubeconfig=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only=$2; args+=("$1" "$2"); shift 2 ;;
    --kubeconfig) kubeconfig=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
wants() { [[ ",$only," == *",$1,"* ]]; }

source scripts/lib/docker.sh
bootwave_ensure_docker_for_tests
source scripts/lib/images.sh
bootwave_ensure_images busybox
source scripts/lib/compose.sh
bootwave_ensure_compose_v2 >/dev/null # exports BOOTWAVE_COMPOSE_V2: Docker Compose v2, the second peer
source scripts/lib/kube.sh

bench_pid=""
cluster=""
cleanup() {
  [ -z "$bench_pid" ] || { kill "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true; }
  # Everything the harness names starts with bwupd-<kind>-<its pid>-: Compose projects and bootwave plans alike.
  if [ -n "$bench_pid_seen" ]; then
    local ids
    ids=$(docker ps -a --filter "label=com.docker.compose.project" --format '{{.ID}} {{.Label "com.docker.compose.project"}}' \
      | awk -v p="bwupd-compose-$bench_pid_seen-" 'index($2, p) == 1 {print $1}')
    ids+=" "$(docker ps -a --filter "label=bootwave.plan" --format '{{.ID}} {{.Label "bootwave.plan"}}' \
      | awk -v p="bwupd-bootwave-$bench_pid_seen-" 'index($2, p) == 1 {print $1}')
    # shellcheck disable=SC2086
    [ -n "${ids// /}" ] && docker rm -f -v $ids >/dev/null || true
    docker network ls --format '{{.Name}}' | grep -E "^(bwupd-compose-$bench_pid_seen-|bootwave-bwupd-bootwave-$bench_pid_seen-)" \
      | xargs -r docker network rm >/dev/null || true
  fi
  [ -z "$cluster" ] || bootwave_kube_down "$cluster" >/dev/null 2>&1 || true
}
bench_pid_seen=""
trap cleanup EXIT INT TERM

if wants kubernetes; then
  KUBECTL=${KUBECTL:-$(command -v kubectl || bootwave_ensure_kubectl)}
  export KUBECTL
  if [ -n "$kubeconfig" ]; then
    KUBECONFIG=$kubeconfig
  else
    cluster="bwupd-kube-$$"
    export BOOTWAVE_KUBE_CLUSTER_NAME=$cluster
    kube_log=$(mktemp /tmp/bwupd-kube-up-XXXXXX.log)
    KUBECONFIG=$(bootwave_kube_up 2>"$kube_log" | tail -1) || { cat "$kube_log" >&2; exit 1; }
    grep '^bootwave:' "$kube_log" || true
    rm -f "$kube_log"
  fi
  export KUBECONFIG
fi

[ -d node_modules ] || npm install --no-audit --no-fund
npm run build >/dev/null
npx tsc -p bench/update/tsconfig.json
echo "machine: nproc $(nproc); $(free -h | awk '/Mem:/ {print "mem " $2 " total, " $7 " available"}'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tools: docker $(docker version --format '{{.Server.Version}}'); docker-compose $(docker-compose version --short 2>/dev/null); docker compose $("$BOOTWAVE_COMPOSE_V2" version --short); node $(node --version)"
if wants kubernetes; then
  echo "kubernetes: $("$KUBECTL" version --client 2>/dev/null | head -1); server $("$KUBECTL" version 2>/dev/null | sed -n 's/^Server Version: //p') (kwok nodes: fake pods)"
fi
node dist-bench/update/update-bench.js "${args[@]}" &
bench_pid=$!
bench_pid_seen=$bench_pid
status=0
wait "$bench_pid" || status=$?
bench_pid=""
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
