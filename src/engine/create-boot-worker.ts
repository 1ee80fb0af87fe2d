import type { DataConverter } from '@temporalio/common';
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
  /** Aborted when the worker starts to shut down: probes then hand over at once (`drainOnShutdownSignals`). */
  shuttingDown?: AbortSignal;
  /** The worker's metrics (`BOOTWAVE_METRICS_PORT`). */
  observer?: SupervisionObserver;
  /** Encrypts payloads (`bootwaveDataConverter`); the SDK's default when absent. */
  dataConverter?: DataConverter;
  /** False for a host's queue: it carries activities only; workflows run on the shared queue. */
  workflows?: boolean;
  /** Temporal's identity of the worker (the SDK's default when absent). */
  identity?: string;
}

/** A worker that runs boots: the workflows plus activities built from the given drivers. */
export function createBootWorker(options: BootWorkerOptions): Promise<Worker> {
  const source =
    options.workflows === false
      ? {}
      : options.workflowBundle
        ? { workflowBundle: options.workflowBundle }
        : workflowSource();
  return Worker.create({
    ...(options.identity === undefined ? {} : { identity: options.identity }),
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...source,
    activities: createActivities({
      drivers: options.drivers,
      shuttingDown: options.shuttingDown,
      observer: options.observer,
    }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 1000,
    maxConcurrentWorkflowTaskExecutions: 40,
    // A wave that releases many services at once gets up to 32 of their starts back in its task's completion
    // (eager dispatch) instead of 3, the SDK's default; the rest wait for the worker's polls. Bounded so that
    // the starts' inputs (a service's spec, its manifests) stay well inside one gRPC message.
    maxEagerActivityReservationsPerWorkflowTask: 32,
    // Heartbeats carry a probe's progress (live status, resume after a crash): at most 1 s stale, instead of
    // the SDK's default of 80% of the heartbeat timeout.
    maxHeartbeatThrottleInterval: '1s',
    defaultHeartbeatThrottleInterval: '1s',
    // A workflow task waits this long on a worker's own (sticky) queue before any worker may take it: after a
    // kill -9, every workflow the dead worker had cached waits it out once (the SDK's default is 10 s).
    stickyQueueScheduleToStartTimeout: '1s',
    // On SIGTERM/SIGINT starts and stops finish what they began (they heartbeat meanwhile); probes hand over.
    shutdownGraceTime: '5s',
    // A start or stop that outlives the grace is still waited for, but not forever.
    shutdownForceTime: '60s',
  });
}
