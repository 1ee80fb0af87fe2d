import { formatDuration } from '../plan/duration';
import type { SupervisionSpec } from '../plan/types';
import { backoffDelayMs } from './backoff';
import type { Observation } from '../contract/supervision';
import type { RestartOwner } from './supervision-of';

/** A failure a watch reported: the service exited, vanished, or stayed unhealthy. */
export type Failure = Extract<Observation, { kind: 'exited' | 'absent' | 'unhealthy' }>;

export type RestartDecision =
  | { action: 'restart'; delayMs: number; cause: string }
  | { action: 'give-up'; message: string }
  | { action: 'leave'; cause: string };

/**
 * What to do about a failure: restart after a backoff, give up (crash loop), or leave it (the policy says no, or
 * someone else restarts it). `recentRestartsMs` are bootwave's earlier restarts; those older than the start-limit
 * interval no longer count.
 */
export function decideRestart(
  spec: SupervisionSpec,
  owner: RestartOwner,
  failure: Failure,
  recentRestartsMs: readonly number[],
  nowMs: number,
): RestartDecision {
  if (owner === 'kubernetes-controller')
    return { action: 'leave', cause: 'restarted by its Kubernetes controller; bootwave only observes' };
  if (owner === 'docker-engine')
    return { action: 'leave', cause: "restarted by the Docker engine (the container's restart policy)" };
  if (spec.restart === 'no') return { action: 'leave', cause: 'restart: no' };
  if (spec.restart === 'on-failure' && failure.kind === 'exited' && failure.exitCode === 0)
    return { action: 'leave', cause: 'exited 0 (restart: on-failure)' };

  const recent = withinWindow(recentRestartsMs, nowMs, spec.startLimitIntervalMs);
  if (recent.length >= spec.startLimitBurst) {
    return {
      action: 'give-up',
      message: `crash loop (${recent.length} restarts in ${formatDuration(spec.startLimitIntervalMs)}, ${describeFailure(failure)})`,
    };
  }
  return {
    action: 'restart',
    delayMs: backoffDelayMs(spec.backoff, recent.length),
    cause: `${describeFailure(failure)} (restart: ${spec.restart})`,
  };
}

/** The restart times that still count at `nowMs`. */
export function withinWindow(timesMs: readonly number[], nowMs: number, windowMs: number): number[] {
  return timesMs.filter((t) => nowMs - t < windowMs);
}

/** "last exit 1: <log tail>", "last: unhealthy: HTTP 503", "last: removed". */
export function describeFailure(failure: Failure): string {
  switch (failure.kind) {
    case 'exited':
      return `last exit ${failure.exitCode}${failure.logTail ? `: ${tail(failure.logTail)}` : ''}`;
    case 'absent':
      return 'last: removed';
    case 'unhealthy':
      return `last: unhealthy: ${failure.reason}`;
  }
}

/** The last lines of a log, short enough for a status line and the history. */
export function tail(text: string, lines = 3): string {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .slice(-lines)
    .join(' | ')
    .slice(-300);
}
