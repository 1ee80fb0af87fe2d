#!/usr/bin/env bash
# Builds the local test images (bootwave-test/*) on a Docker engine, starting one when none runs.
# Usage: scripts/build-images.sh [name ...]   (names are folders under images/; all when none given)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/docker.sh
source scripts/lib/images.sh
bootwave_ensure_docker
bootwave_ensure_images "$@"
docker image ls --filter 'reference=bootwave-test/*' --format '{{.Repository}}:{{.Tag}} {{.Size}}'
