import type { ActivityOptions } from '@temporalio/workflow';
import { nonRetryableErrorTypes } from '../errors';
import { probeActivityId, startActivityId } from '../contract/ids';
import { watchActivityId } from '../contract/supervision';
import type { ServiceSpec } from '../plan/types';

/**
 * Short, so a probe on a dead worker moves to another worker within seconds and resumes from its last
 * heartbeat; the probe loop heartbeats at least every interval (≤ 1 s by default).
 */
export const probeHeartbeatTimeoutMs = 10_000;

/** Start/apply: quick, retried with backoff on transient errors; a bad plan or missing image is final. */
export function startOptions(service: ServiceSpec): ActivityOptions {
  return {
    activityId: startActivityId(service.name),
    startToCloseTimeout: '2m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '30s',
      maximumAttempts: 5,
      nonRetryableErrorTypes,
    },
  };
}

/** Await ready: one long heartbeating activity per service, retried only when the worker running it dies. */
export function probeOptions(service: ServiceSpec): ActivityOptions {
  return {
    activityId: probeActivityId(service.name),
    startToCloseTimeout: service.startTimeoutMs + 30_000,
    scheduleToCloseTimeout: service.startTimeoutMs + 120_000,
    heartbeatTimeout: probeHeartbeatTimeoutMs,
    retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes },
  };
}

/** Stop/restore: idempotent, so retried freely within its budget. */
export function stopOptions(): ActivityOptions {
  return {
    startToCloseTimeout: '2m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '15s',
      maximumAttempts: 10,
      nonRetryableErrorTypes,
    },
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
    activityId: watchActivityId(service.name),
    startToCloseTimeout: windowMs + 60_000,
    heartbeatTimeout: Math.max(probeHeartbeatTimeoutMs, 2 * roundMs),
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes },
  };
}
