#!/usr/bin/env node
/**
 * Bundles the workflow code once at build time into `dist/workflow-bundle.js`, so `bootwave up` and workers start
 * without the ~3 s of bundling (Temporal's webpack bundle of `src/workflows`).
 */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { prebuiltBundlePath } from './workflow-source';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger });
  writeFileSync(prebuiltBundlePath, code);
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => process.stderr.write(`${message}\n`),
  error: (message: string) => process.stderr.write(`${message}\n`),
};

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`Failed to bundle the workflows: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
