import { ActivityFailure, ApplicationFailure, TimeoutFailure, proxyActivities } from '@temporalio/workflow';
import type { BootActivities, ServiceActivityInput, StartServiceResult } from '../contract/activities';
import { waitingForWorker } from '../placement/waiting-for-worker';
import type { ServiceSpec } from '../plan/types';
import { startOptions } from './activity-options';

/** The failure type of a start given up while no worker of its host took it: nothing ran, nothing to roll back. */
export const noWorkerOnHost = 'NoWorkerOnHost';

/** How long a start waits in its host's queue, at first, before the service shows it is waiting for a worker. */
const firstPickupMs = 5000;
/** Then: each further wait is one activity (two events), so a long absence keeps the history small. */
const laterPickupMs = 30_000;

export interface HostWait {
  /** No worker of the host took the start yet: shown by `status`. */
  waiting(host: string): void;
  /** True when the wave gives up (its deadline, a critical failure, a cancel). */
  givingUp(): boolean;
  /** Time left before the wave's deadline, if it has one: a wait never outlasts it. */
  msLeft(): number | undefined;
}

/**
 * The start of a service placed on a host. Its queue may have no worker (the host is down or its worker not yet
 * started): a short schedule-to-start timeout tells it, the service shows "waiting for a worker on <host>", and the
 * start is scheduled again until a worker takes it or the wave gives up. Schedule-to-start timeouts are never
 * retried, and a start that timed out in the queue never ran there (the start is idempotent: scheduling it again
 * after a worker died in it finds what that worker began).
 */
export async function startOnHost(
  service: ServiceSpec & { host: string },
  input: ServiceActivityInput,
  wait: HostWait,
): Promise<StartServiceResult> {
  for (let attempt = 0; ; attempt++) {
    const pickupMs = Math.max(1000, Math.min(attempt === 0 ? firstPickupMs : laterPickupMs, wait.msLeft() ?? Infinity));
    const { startService } = proxyActivities<BootActivities>({
      ...startOptions(service),
      scheduleToStartTimeout: pickupMs,
      summary: `start ${service.name}`,
    });
    try {
      return await startService(input);
    } catch (error) {
      if (!(error instanceof ActivityFailure && isPickupTimeout(error.cause))) throw error;
      wait.waiting(service.host);
      if (wait.givingUp()) throw ApplicationFailure.nonRetryable(waitingForWorker([service.host]), noWorkerOnHost);
    }
  }
}

function isPickupTimeout(cause: unknown): boolean {
  return cause instanceof TimeoutFailure && cause.timeoutType === 'SCHEDULE_TO_START';
}
