import type { NativeConnection } from '@temporalio/worker';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/create-activities';
import type { SupervisionObserver } from '../activities/supervision-observer';
import type { Drivers } from '../drivers/driver';
import { workflowSource } from './workflow-source';

export interface BootWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  drivers: Drivers;
  /** Prebuilt workflow code; else see `workflowSource`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** How many probes may run at once on this worker: each is one long heartbeating activity. */
  maxConcurrentActivityTaskExecutions?: number;
  /** The worker's metrics (`BOOTWAVE_METRICS_PORT`). */
  observer?: SupervisionObserver;
}

/** A worker that runs boots: the workflows plus activities built from the given drivers. */
export function createBootWorker(options: BootWorkerOptions): Promise<Worker> {
  const source = options.workflowBundle ? { workflowBundle: options.workflowBundle } : workflowSource();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...source,
    activities: createActivities({ drivers: options.drivers, observer: options.observer }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 1000,
    maxConcurrentWorkflowTaskExecutions: 40,
    // Heartbeats carry a probe's progress (live status, resume after a crash): at most 1 s stale, instead of
    // the SDK's default of 80% of the heartbeat timeout.
    maxHeartbeatThrottleInterval: '1s',
    defaultHeartbeatThrottleInterval: '1s',
    shutdownGraceTime: '5s',
  });
}
