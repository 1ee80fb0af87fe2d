/**
 * The floor's worker, in its own process as bootwave's is in the bench, with the SDK settings of bootwave's worker
 * that bear on speed (`src/engine/create-boot-worker.ts`). Env: TEMPORAL_ADDRESS, FLOOR_TASK_QUEUE,
 * FLOOR_WORKFLOW_BUNDLE. Prints "worker started" on stderr once it polls; on SIGTERM it drains and ends the
 * processes it spawned.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { tuneWorkerHeap } from '../../src/engine/worker-heap';
import * as activities from './floor-activities';

async function main(): Promise<void> {
  tuneWorkerHeap();
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: process.env.FLOOR_TASK_QUEUE!,
    workflowBundle: { codePath: process.env.FLOOR_WORKFLOW_BUNDLE! },
    activities,
    maxConcurrentActivityTaskExecutions: 1000,
    maxConcurrentWorkflowTaskExecutions: 40,
    maxEagerActivityReservationsPerWorkflowTask: 32,
    stickyQueueScheduleToStartTimeout: '1s',
  });
  process.stderr.write('worker started\n');
  try {
    await worker.run();
  } finally {
    for (const pid of activities.spawned) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`floor worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
