import type { SupervisionSpec } from '../plan/types';

/** Delay before restart number `attempt` (0 = the first): initial × factor^attempt, capped at max. */
export function backoffDelayMs(backoff: SupervisionSpec['backoff'], attempt: number): number {
  const delay = backoff.initialMs * Math.pow(backoff.factor, Math.max(0, attempt));
  return Math.round(Math.min(backoff.maxMs, delay));
}
