#!/usr/bin/env bash
# Builds the worker image (images/worker/Dockerfile) on the local Docker engine from the current build.
# Usage: scripts/build-worker-image.sh    → prints bootwave-worker:<version>
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
source scripts/lib/docker.sh
source scripts/lib/worker-image.sh
bootwave_ensure_node
bootwave_ensure_docker
npm run --silent build
bootwave_ensure_worker_image
