import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { BootClient } from '../../src/client/boot-client';
import type { Drivers } from '../../src/drivers/driver';
import { createBootWorker } from '../../src/engine/create-boot-worker';
import type { BootOptions } from '../../src/plan/boot-input';
import type { ResolvedPlan } from '../../src/plan/types';
import type { BootStatus } from '../../src/contract/status';
import type { TeardownResult } from '../../src/contract/workflows';
import type { teardownWorkflow } from '../../src/workflows/teardown-workflow';
import { uniqueTaskQueue } from './temporal';
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

/** Boots `plan` on a worker of its own with `drivers` and returns the final status (`label` names its queue). */
export async function bootToEnd(
  drivers: Drivers,
  plan: ResolvedPlan,
  options: Partial<BootOptions>,
  label = 'boot',
): Promise<BootStatus> {
  const taskQueue = uniqueTaskQueue(label);
  const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
  try {
    return await withWorker({ taskQueue, drivers }, async () => {
      const handle = await client.start(plan, { ...options, workflowId: `${plan.name}-${taskQueue}` });
      return handle.result();
    });
  } finally {
    await client.close();
  }
}

/** What `bootwave down` runs: the teardown workflow over the whole plan, on a worker of its own with `drivers`. */
export async function tearDown(drivers: Drivers, plan: ResolvedPlan, label = 'down'): Promise<TeardownResult> {
  const taskQueue = uniqueTaskQueue(label);
  const connection = await Connection.connect({ address: requireTestEnv('address') });
  try {
    const client = new Client({ connection, namespace: 'default' });
    return await withWorker({ taskQueue, drivers }, () =>
      client.workflow.execute<typeof teardownWorkflow>('teardownWorkflow', {
        taskQueue,
        workflowId: `${plan.name}-down-${taskQueue}`,
        args: [plan],
      }),
    );
  } finally {
    await connection.close();
  }
}
