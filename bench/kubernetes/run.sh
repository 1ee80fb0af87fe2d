#!/usr/bin/env bash
# kubectl vs bootwave on one local Kubernetes control plane, and a 1,000-Deployment scale run (issue 5, "Numbers").
#   bench/kubernetes/run.sh [--runs 3] [--warmup 1] [--only kosmos,scale] [--scale-services 1000]
#     [--scale-strategies waves,dag] [--nodes 12] [--qps-limits off|default] [--json results.json]
# --qps-limits off (the default here) lifts the control plane's client rate limits: with kube-controller-manager's
# default 20 requests/s, 1,000 Deployments take ~250 s to roll out whoever applies them.
# Builds (or reuses) the control-plane binaries and kubectl in the kube cache (scripts/lib/kube.sh), starts a kwok
# cluster of its own, builds bootwave and the harness, runs bench/kubernetes/kube-bench.ts, and deletes the
# cluster and kubectl's cache dir on exit, also when a run fails or on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/node.sh
bootwave_ensure_node
source scripts/lib/kube.sh

# kwok nodes take 110 pods each: 12 hold the 1,000 pods of the scale run with room to spare.
nodes=12
qps_limits=off
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --qps-limits) qps_limits=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

KUBECTL=$(bootwave_ensure_kubectl)
export KUBECTL
[ -d node_modules ] || npm install --no-audit --no-fund
npm run build >/dev/null
npx tsc -p bench/kubernetes/tsconfig.json

export BOOTWAVE_KUBE_CLUSTER_NAME="bwbench-kube-$$"
case "$qps_limits" in
  off) export BOOTWAVE_KUBE_UNLIMITED_QPS=true ;;
  default) export BOOTWAVE_KUBE_UNLIMITED_QPS=false ;;
  *) echo "run.sh: --qps-limits takes off or default, not '$qps_limits'" >&2; exit 2 ;;
esac
KUBECACHEDIR=$(mktemp -d /tmp/bwbench-kubectl-cache-XXXXXX)
export KUBECACHEDIR
bench_pid=""
cleanup() {
  [ -z "$bench_pid" ] || { kill "$bench_pid" 2>/dev/null || true; wait "$bench_pid" 2>/dev/null || true; }
  bootwave_kube_down "$BOOTWAVE_KUBE_CLUSTER_NAME" >/dev/null 2>&1 || true
  rm -rf "$KUBECACHEDIR"
}
trap cleanup EXIT INT TERM

KUBECONFIG=$(bootwave_kube_up | tail -1)
export KUBECONFIG
"$(bootwave_kube_dir)/bin/kwokctl" scale node --name "$BOOTWAVE_KUBE_CLUSTER_NAME" --replicas "$nodes" >/dev/null 2>&1
echo "machine: nproc $(nproc); $(free -h | awk '/Mem:/ {print "mem " $2 " total, " $7 " available"}'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kubectl: $("$KUBECTL" version --client | head -1); node $(node --version); control-plane QPS limits: $qps_limits"
node dist-bench/bench/kubernetes/kube-bench.js "${args[@]}" &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
bench_pid=""
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
