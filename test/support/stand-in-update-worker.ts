import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { requireTestEnv } from './test-env';

/**
 * Runs `fn` while a worker with the stand-in `updateWorkflow` (update-stand-in-workflows.ts) polls `taskQueue`.
 * Bundles that one small file on its own (a few seconds), apart from the run's shared bundle of the real workflows.
 */
export async function withStandInUpdateWorker<T>(taskQueue: string, fn: () => Promise<T>): Promise<T> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('./update-stand-in-workflows.ts'),
    logger: quietBundler,
  });
  const { code } = await bundle;
  const connection = await NativeConnection.connect({ address: requireTestEnv('address') });
  try {
    const worker = await Worker.create({ connection, namespace: 'default', taskQueue, workflowBundle: { code } });
    return await worker.runUntil(fn());
  } finally {
    await connection.close();
  }
}

let bundle: ReturnType<typeof bundleWorkflowCode> | undefined;

const quietBundler = {
  info: () => {},
  warn: () => {},
  error: (message: string) => process.stderr.write(`${message}\n`),
  debug: () => {},
  trace: () => {},
  log: () => {},
};
