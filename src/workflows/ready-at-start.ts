import { patched } from '@temporalio/workflow';
import type { StartServiceInput } from '../contract/activities';
import type { ServiceSpec } from '../plan/types';

/**
 * Asks the start to settle the service's readiness itself (`readyIfRunning`) when nothing is checked: it is ready at
 * the first look at it running, and the workflow saves an `awaitReady` activity and a workflow task. The driver may
 * still decline (readiness of its own: rollout status, a container's health); the start's result then has no
 * `ready`. Workflows recorded before it existed await every service as they did.
 */
export function readyIfRunning(
  service: ServiceSpec,
  notify: () => string[],
): Pick<StartServiceInput, 'readyIfRunning'> {
  if (service.health !== undefined || service.oneShot || !patched('ready-at-start')) return {};
  return { readyIfRunning: { notify: notify() } };
}
