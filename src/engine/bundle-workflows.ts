#!/usr/bin/env node
/**
 * Bundles the workflow code once at build time into `dist/workflow-bundle.js` (and, for the payload codec, a copy
 * that encodes failure messages), so `bootwave up` and workers start without the ~3 s of bundling.
 */
import { writeFileSync } from 'node:fs';
import { encodedFailuresPath } from '../codec/data-converter';
import { bundleBootWorkflows } from './boot-workflow-bundle';
import { prebuiltBundlePath, prebuiltEncodedFailuresBundlePath } from './workflow-source';

async function main(): Promise<void> {
  writeFileSync(prebuiltBundlePath, await bundleBootWorkflows());
  // For workers with the payload codec on: failure messages encoded, so the codec encrypts them.
  writeFileSync(
    prebuiltEncodedFailuresBundlePath,
    await bundleBootWorkflows({ failureConverterPath: encodedFailuresPath }),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`Failed to bundle the workflows: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
