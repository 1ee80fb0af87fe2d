#!/usr/bin/env bash
# The main job on the embedded default: installs what it needs, starts a local Temporal dev server (persistent,
# with the Web UI) and an in-process worker, and boots the demo stack. Extra arguments go to `bootwave up`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
source scripts/lib/deps.sh
bootwave_ensure_node
bootwave_ensure_deps
npm run --silent build
exec node dist/cli/bin.js up examples/demo/plan.yaml "$@"
