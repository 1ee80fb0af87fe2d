#!/usr/bin/env bash
# Recovery after a kill -9 of the worker (issue 14). One command:
#   bench/recovery/run.sh [--rounds 12] [--seed N] [--label after] [--kill-window 300-3300] [--gap-max 3000]
# Compiles the harness with the engine's sources into dist-bench/ and runs it against a fresh dev server.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/node.sh
bootwave_ensure_node
[ -d node_modules ] || npm install --no-audit --no-fund
npx tsc -p bench/recovery/tsconfig.json
exec node dist-bench/bench/recovery/recovery-bench.js "$@"
