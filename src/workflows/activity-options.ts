import { workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../errors';
import { prepareActivityId, probeActivityId, startActivityId } from '../contract/ids';
import { watchActivityId } from '../contract/supervision';
import { serviceTaskQueue } from '../placement/service-task-queue';
import type { ServiceSpec } from '../plan/types';

/**
 * The task queue of the service's host, when it is placed on one (`host:`); nothing otherwise, so a service without
 * a host schedules exactly what it did before hosts existed (histories replay unchanged without a `patched`: no
 * recorded plan can have a host, the loader refused the field). Workflows run on the shared queue only.
 */
function placed(service: ServiceSpec): Pick<ActivityOptions, 'taskQueue'> {
  const taskQueue = serviceTaskQueue(service, workflowInfo().taskQueue);
  return taskQueue === undefined ? {} : { taskQueue };
}

/**
 * A stop on a host whose worker is absent fails after this instead of holding `down` or a rollback for ever
 * (a schedule-to-start timeout is never retried). Long enough for a worker's restart.
 */
const hostStopPickupTimeout = '2m';

/**
 * Short, so a start, probe or stop on a dead worker moves to another worker within seconds (a probe resumes from
 * its last heartbeat). Every such activity heartbeats every 500 ms and the worker sends one a second, so the
 * server hears from a live worker twice per timeout. Recovery after a kill -9 is this timeout, the first retry
 * interval, and the sticky queue timeout of the worker (`create-boot-worker.ts`).
 */
export const heartbeatTimeoutMs = 2000;

/** The first retry comes quickly: the likeliest cause is a worker that died, and another one is waiting. */
const firstRetryInterval = '200ms';

/**
 * Start/apply: retried with backoff on transient errors; a bad plan or missing image is final. Its length depends
 * on the target (an image pull, a large apply), so a dead worker is found by heartbeat, not by a short timeout.
 */
const startTimeouts: ActivityOptions = {
  startToCloseTimeout: '15m',
  heartbeatTimeout: heartbeatTimeoutMs,
  retry: {
    initialInterval: firstRetryInterval,
    backoffCoefficient: 2,
    maximumInterval: '30s',
    // 0.2 s, 0.4 s, … 12.8 s: ~25 s of transient errors, as many attempts as worker deaths need.
    maximumAttempts: 8,
    nonRetryableErrorTypes,
  },
};

export function startOptions(service: ServiceSpec): ActivityOptions {
  return { ...placed(service), activityId: startActivityId(service.name), ...startTimeouts };
}

/** A batch of starts (`start-batches.ts`): as a start; its services have no host, so it runs on the wave's queue. */
export function startBatchOptions(): ActivityOptions {
  return startTimeouts;
}

/** Prepare (create before the gate opens): as a start, and a failure is no loss: the start does it all again. */
export function prepareOptions(service: ServiceSpec): ActivityOptions {
  const start = startOptions(service);
  return { ...start, activityId: prepareActivityId(service.name), retry: { ...start.retry, maximumAttempts: 2 } };
}

/** Await ready: one long heartbeating activity per service, retried only when the worker running it dies. */
export function probeOptions(service: ServiceSpec): ActivityOptions {
  return {
    ...placed(service),
    activityId: probeActivityId(service.name),
    startToCloseTimeout: service.startTimeoutMs + 30_000,
    scheduleToCloseTimeout: service.startTimeoutMs + 120_000,
    heartbeatTimeout: heartbeatTimeoutMs,
    retry: {
      initialInterval: firstRetryInterval,
      backoffCoefficient: 2,
      maximumInterval: '10s',
      nonRetryableErrorTypes,
    },
  };
}

/**
 * Stop/restore: idempotent, so retried freely within its budget; as long as the target needs (a container's stop
 * grace, a namespace's finalizers), a dead worker found by heartbeat.
 */
export function stopOptions(service: ServiceSpec): ActivityOptions {
  return {
    ...placed(service),
    ...(service.host === undefined ? {} : { scheduleToStartTimeout: hostStopPickupTimeout }),
    startToCloseTimeout: '15m',
    heartbeatTimeout: heartbeatTimeoutMs,
    retry: {
      initialInterval: firstRetryInterval,
      backoffCoefficient: 2,
      maximumInterval: '15s',
      maximumAttempts: 10,
      nonRetryableErrorTypes,
    },
  };
}

/** A watch heartbeats once per probe round: a round at a steady interval may take seconds. */
const watchHeartbeatTimeoutMs = 10_000;

/**
 * A batch of supervision watches (`watchServices`): one long activity per task queue for all the stack's services
 * watched there. It heartbeats every second whatever its members' intervals, so a dead worker's batch moves to
 * another worker after the heartbeat timeout (resuming the counters) and a cancellation reaches it within a second.
 */
export function watchBatchOptions(taskQueue: string | undefined, windowMs: number): ActivityOptions {
  return {
    ...(taskQueue === undefined ? {} : { taskQueue }),
    startToCloseTimeout: windowMs + 60_000,
    heartbeatTimeout: watchHeartbeatTimeoutMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes },
  };
}

/**
 * A supervision watch: one long heartbeating activity per service, retried without limit while the stack is
 * supervised (a dead worker's watch moves to another worker after the heartbeat timeout and resumes its counters).
 */
export function watchOptions(service: ServiceSpec, windowMs: number): ActivityOptions {
  const timing = service.health?.timing;
  // A round is an inspect plus one probe: its timeout bounds the time between heartbeats.
  const roundMs = (timing?.intervalMs ?? 1000) + (timing?.timeoutMs ?? 0);
  return {
    ...placed(service),
    activityId: watchActivityId(service.name),
    startToCloseTimeout: windowMs + 60_000,
    heartbeatTimeout: Math.max(watchHeartbeatTimeoutMs, 2 * roundMs),
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes },
  };
}
