#!/usr/bin/env node
/**
 * Bundles the workflow code once at build time into `dist/workflow-bundle.js` (and, for the payload codec, a copy
 * that encodes failure messages), so `bootwave up` and workers start without the ~3 s of bundling.
 */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { encodedFailuresPath } from '../codec/data-converter';
import { prebuiltBundlePath, prebuiltEncodedFailuresBundlePath } from './workflow-source';
import { sharedWorkflowModules } from './shared-workflow-modules';

async function main(): Promise<void> {
  const workflowsPath = require.resolve('../workflows');
  const plain = await bundleWorkflowCode({ workflowsPath, preloadModules: sharedWorkflowModules, logger: quietLogger });
  writeFileSync(prebuiltBundlePath, plain.code);
  // For workers with the payload codec on: failure messages encoded, so the codec encrypts them.
  const encoded = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath: encodedFailuresPath,
    preloadModules: sharedWorkflowModules,
    logger: quietLogger,
  });
  writeFileSync(prebuiltEncodedFailuresBundlePath, encoded.code);
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
