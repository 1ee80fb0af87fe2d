import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/create-activities';
import type { Drivers } from '../drivers/driver';

export interface BootWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  drivers: Drivers;
  /** Prebuilt workflow code (tests bundle once per run); else the worker bundles `src/workflows` itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** How many probes may run at once on this worker: each is one long heartbeating activity. */
  maxConcurrentActivityTaskExecutions?: number;
}

/** A worker that runs boots: the workflows plus activities built from the given drivers. */
export function createBootWorker(options: BootWorkerOptions): Promise<Worker> {
  const workflowSource = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...workflowSource,
    activities: createActivities({ drivers: options.drivers }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 1000,
    maxConcurrentWorkflowTaskExecutions: 40,
    // Heartbeats are how a probe's progress survives a crash; the SDK throttles them to ~80% of the timeout.
    defaultHeartbeatThrottleInterval: '1s',
    shutdownGraceTime: '5s',
  });
}
