#!/usr/bin/env bash
# Regenerates schema/plan.schema.json from the zod schema (src/plan/plan-schema.ts).
# The same test fails, without UPDATE_SCHEMA, when the committed file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
bootwave_ensure_node
UPDATE_SCHEMA=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/plan/plan-json-schema.test.ts --selectProjects unit
