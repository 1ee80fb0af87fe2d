import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

/** Where `npm run build` leaves the bundled workflow code: `dist/workflow-bundle.js`. */
export const prebuiltBundlePath = join(__dirname, '..', 'workflow-bundle.js');

/**
 * The workflow code a worker runs: a bundle named by `BOOTWAVE_WORKFLOW_BUNDLE` (tests, benchmarks), else the one
 * built with the package, else `src/workflows` bundled now (~3 s).
 */
export function workflowSource(
  env: NodeJS.ProcessEnv = process.env,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = env.BOOTWAVE_WORKFLOW_BUNDLE || (existsSync(prebuiltBundlePath) ? prebuiltBundlePath : undefined);
  return bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../workflows') };
}
