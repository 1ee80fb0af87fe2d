#!/usr/bin/env node
// A one-shot job for demos and tests (a schema migration): works for --duration ms, then exits with --exit-code.
'use strict';
const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = argv.indexOf(name);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const durationMs = flag('--duration', 500);
const exitCode = flag('--exit-code', 0);
console.log(`migrate: applying migrations (${durationMs} ms)`);
setTimeout(() => {
  console.log(exitCode === 0 ? 'migrate: done' : `migrate: failed with code ${exitCode}`);
  process.exit(exitCode);
}, durationMs);
