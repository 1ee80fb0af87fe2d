#!/usr/bin/env bash
# The whole test suite on a fresh machine: provisions Node 24, the npm dependencies, a Temporal dev server (found,
# cached or built), a Docker engine with locally built images, a local Kubernetes control plane and the real
# services the tests boot; then type-checks and runs every test. Ends with one line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
source scripts/lib/deps.sh
source scripts/lib/docker.sh
source scripts/lib/real-services.sh
source scripts/lib/kube.sh
source scripts/lib/compose.sh
bootwave_ensure_node
bootwave_ensure_deps

export BOOTWAVE_CACHE="${BOOTWAVE_CACHE:-$HOME/.cache/bootwave}"
results="$(mktemp -d)/jest-results.json"

# Real components, provisioned up front (the test files check again and fail loudly if one is missing).
bootwave_ensure_docker_for_tests
bootwave_ensure_real_services
bootwave_ensure_compose_v2 >/dev/null # Docker Compose v2 for the conformance tests (built once into the cache)
# One local Kubernetes control plane (etcd, apiserver, controller-manager, scheduler, kwok nodes) for the run.
BOOTWAVE_TEST_KUBECONFIG="$(bootwave_kube_up)"
export BOOTWAVE_TEST_KUBECONFIG
kube_down() { bootwave_kube_down "$(basename "$BOOTWAVE_TEST_KUBECONFIG" .kubeconfig)" >/dev/null 2>&1 || true; }
trap kube_down EXIT

echo "bootwave: type-checking, linting and building (tests run workers from dist/)" >&2
npx tsc --noEmit -p tsconfig.json
npx eslint .
npm run --silent build
# The worker image packs the build (images/worker/Dockerfile): built now, reused while the build is unchanged.
source scripts/lib/worker-image.sh
bootwave_ensure_worker_image >/dev/null

status=0
NODE_OPTIONS=--experimental-vm-modules npx jest --ci --json --outputFile="$results" "$@" || status=$?
kube_down
trap - EXIT
node -e '
  const r = require(process.argv[1]);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`);
' "$results" 2>/dev/null || { echo "0 passed, 1 failed"; status=1; }
exit "$status"
