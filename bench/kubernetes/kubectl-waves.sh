#!/usr/bin/env bash
# The KOSMOS boot as the seed's kosmos-boot.sh does it (../shared/seeds, "Boot Script"), carried through all eight
# waves: `kubectl apply -f manifests/wave-N/`, then, one after the other, `kubectl rollout status` for every
# Deployment, StatefulSet and DaemonSet the wave applied and `kubectl wait --for=condition=complete` for every Job.
# The seed waits for a few named deployments per wave; this waits for every workload, so it gates on exactly what
# bootwave gates on (the controllers' rollout status) and both tools finish with the same objects ready.
#
# Usage: kubectl-waves.sh <manifests-dir> [namespace]
#   KUBECTL names the kubectl binary (default: kubectl on PATH); KUBECONFIG the cluster.
set -euo pipefail

MANIFESTS=${1:?usage: kubectl-waves.sh <manifests-dir> [namespace]}
NAMESPACE=${2:-kosmos}
TIMEOUT=300
KUBECTL=${KUBECTL:-kubectl}

log() {
  echo "[$(date +'%Y-%m-%d %H:%M:%S.%3N')] $1"
}

# `kubectl apply -f dir/` takes the files in name order and does not put a Namespace first: wave-0's
# cert-manager.yaml would fail with "namespaces kosmos not found" on a fresh cluster. Apply the Namespace first.
namespace_files=()
while IFS= read -r file; do namespace_files+=(-f "$file"); done < <(grep -l '^kind: Namespace' "$MANIFESTS"/wave-*/*.yaml || true)
[ ${#namespace_files[@]} -eq 0 ] || "$KUBECTL" apply "${namespace_files[@]}"

for wave in $(find "$MANIFESTS" -mindepth 1 -maxdepth 1 -type d -name 'wave-*' | sort -V); do
  log "=== $(basename "$wave") ==="
  applied=$("$KUBECTL" apply -f "$wave/" -o name)
  for ref in $applied; do
    case "$ref" in
      deployment.apps/* | statefulset.apps/* | daemonset.apps/*)
        "$KUBECTL" rollout status "$ref" -n "$NAMESPACE" --timeout="${TIMEOUT}s"
        ;;
      job.batch/*)
        "$KUBECTL" wait --for=condition=complete "$ref" -n "$NAMESPACE" --timeout="${TIMEOUT}s"
        ;;
    esac
  done
done
log "=== BOOT SEQUENCE COMPLETE ==="
