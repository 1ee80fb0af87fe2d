import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';
import { codecKeyringFromEnv } from '../codec/codec-keys';
import { sharedWorkflowModules } from './shared-workflow-modules';

/** Where `npm run build` leaves the bundled workflow code: `dist/workflow-bundle.js`. */
export const prebuiltBundlePath = join(__dirname, '..', 'workflow-bundle.js');
/** The same workflow code with the failure converter that encodes failure messages (for the payload codec). */
export const prebuiltEncodedFailuresBundlePath = join(__dirname, '..', 'workflow-bundle-encoded-failures.js');

/**
 * The workflow code a worker runs: a bundle named by `BOOTWAVE_WORKFLOW_BUNDLE` (tests, benchmarks), else the one
 * built with the package, else `src/workflows` bundled now (~3 s). With the payload codec on, the workflow code
 * must encode failures as the worker's data converter does, so the bundle built with that failure converter is
 * taken (`BOOTWAVE_WORKFLOW_BUNDLE` is for the plain one), or the code is bundled now with it.
 */
export function workflowSource(
  env: NodeJS.ProcessEnv = process.env,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
  const encodedFailures = codecKeyringFromEnv(env) !== undefined;
  const bundle = encodedFailures
    ? existsSync(prebuiltEncodedFailuresBundlePath)
      ? prebuiltEncodedFailuresBundlePath
      : undefined
    : env.BOOTWAVE_WORKFLOW_BUNDLE || (existsSync(prebuiltBundlePath) ? prebuiltBundlePath : undefined);
  return bundle
    ? { workflowBundle: { codePath: bundle } }
    : { workflowsPath: require.resolve('../workflows'), bundlerOptions: { preloadModules: sharedWorkflowModules } };
}
