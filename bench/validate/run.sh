#!/usr/bin/env bash
# `bootwave validate` against plan size: bench/validate/run.sh [--runs 3]. Builds the CLI (the end-to-end figure
# runs dist/cli/main.js) and the harness, then prints a Markdown table (results: bench/validate/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/node.sh
bootwave_ensure_node
[ -d node_modules ] || npm install --no-audit --no-fund
npm run --silent build >/dev/null
npx tsc -p bench/validate/tsconfig.json
echo "machine: nproc $(nproc); $(free -h | awk '/Mem:/ {print "mem " $2 " total, " $7 " available"}')"
exec node dist-bench/bench/validate/validate-bench.js "$@"
