import type { SupervisionSpec } from '../plan/types';
import type { Breaker } from '../contract/supervision';
import { withinWindow } from './restart-decision';

export const closedBreaker: Breaker = { state: 'closed', failuresMs: [] };

type BreakerSpec = SupervisionSpec['breaker'];

/**
 * The dependency went down. Closed: count it, and open at the threshold. Half-open: the trial failed, open
 * again. Open: stays open (the timer restarts).
 */
export function breakerFailure(breaker: Breaker, spec: BreakerSpec, nowMs: number): Breaker {
  if (breaker.state !== 'closed') return { state: 'open', failuresMs: breaker.failuresMs, openedAtMs: nowMs };
  const failuresMs = [...withinWindow(breaker.failuresMs, nowMs, spec.windowMs), nowMs];
  return failuresMs.length >= spec.failureThreshold
    ? { state: 'open', failuresMs, openedAtMs: nowMs }
    : { state: 'closed', failuresMs };
}

/** The dependency is up again: a half-open breaker closes (the trial passed); closed and open stay as they are. */
export function breakerSuccess(breaker: Breaker): Breaker {
  return breaker.state === 'half-open' ? closedBreaker : breaker;
}

/** Time passes: an open breaker becomes half-open after `openMs`. */
export function breakerTick(breaker: Breaker, spec: BreakerSpec, nowMs: number): Breaker {
  if (breaker.state === 'open' && nowMs - (breaker.openedAtMs ?? nowMs) >= spec.openMs)
    return { ...breaker, state: 'half-open' };
  return breaker;
}

/** When an open breaker turns half-open, for a timer; undefined when it is not open. */
export function breakerHalfOpensAtMs(breaker: Breaker, spec: BreakerSpec): number | undefined {
  return breaker.state === 'open' ? (breaker.openedAtMs ?? 0) + spec.openMs : undefined;
}

/** The key of an edge: `api->db` (dependent → dependency). */
export function edgeKey(dependent: string, dependency: string): string {
  return `${dependent}->${dependency}`;
}
