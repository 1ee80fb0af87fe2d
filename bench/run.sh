#!/usr/bin/env bash
# `npm run bench`: compiles the harness (with the engine's sources) into dist-bench/ and runs it.
# Arguments pass through, e.g. `npm run bench -- --only demo --runs-demo 5`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
bootwave_ensure_node
[ -d node_modules ] || npm install --no-audit --no-fund
npx tsc -p bench/tsconfig.json
exec node dist-bench/bench/run-bench.js "$@"
