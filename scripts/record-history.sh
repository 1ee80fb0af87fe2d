#!/usr/bin/env bash
# Records the histories of a demo boot (the boot workflow and its wave children) as replay fixtures for
# test/workflows/replay.itest.ts. Run after a deliberate, versioned change of workflow code.
# Usage: scripts/record-history.sh [strategy] [fixture prefix, default the strategy]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
source scripts/lib/deps.sh
bootwave_ensure_node
bootwave_ensure_deps
npm run --silent build
state="$(mktemp -d)"
export BOOTWAVE_STATE_DIR="$state"
strategy="${1:-dag}"
prefix="${2:-$strategy}"
node dist/cli/bin.js up examples/demo/plan.yaml --strategy "$strategy" >/dev/null
node dist/cli/bin.js dev >/dev/null 2>&1 &
dev=$!
trap 'node dist/cli/bin.js down examples/demo/plan.yaml >/dev/null 2>&1 || true; kill $dev; wait $dev 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -f "$state/temporal/server.json" ] && break; sleep 0.2; done
address=$(node -p "require('$state/temporal/server.json').address")
temporal=$(node -p "require('./dist/temporal/temporal-cli').findTemporalCli().path")
out=test/fixtures/histories
for id in $("$temporal" workflow list --address "$address" -q 'WorkflowId STARTS_WITH "bootwave-demo"' -o json | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => JSON.parse(s).forEach((w) => console.log(w.execution.workflowId)));'); do
  name=$(echo "$id" | tr '/' '_')
  "$temporal" workflow show --address "$address" -w "$id" -o json > "$out/$prefix--$name.json"
  echo "recorded $out/$prefix--$name.json"
done
