import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Drivers } from '../../src/drivers/driver';
import { createBootWorker } from '../../src/engine/create-boot-worker';
import { requireTestEnv } from './test-env';

export async function testWorker(options: {
  taskQueue: string;
  drivers: Drivers;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: requireTestEnv('address') });
  const worker = await createBootWorker({
    connection,
    namespace: 'default',
    taskQueue: options.taskQueue,
    drivers: options.drivers,
    workflowBundle: { codePath: requireTestEnv('bundle') },
  });
  return { worker, connection };
}

/** Runs `fn` while a worker polls `taskQueue`, then shuts the worker down. */
export async function withWorker<T>(
  options: { taskQueue: string; drivers: Drivers },
  fn: () => Promise<T>,
): Promise<T> {
  const { worker, connection } = await testWorker(options);
  try {
    return await worker.runUntil(fn());
  } finally {
    await connection.close();
  }
}
