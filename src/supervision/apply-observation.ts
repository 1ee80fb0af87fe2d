import type { SupervisionSpec } from '../plan/types';
import { decideRestart, withinWindow, type RestartDecision } from './restart-decision';
import type { Observation, SupervisedService } from '../contract/supervision';
import type { RestartOwner } from './supervision-of';

export interface ObservationOutcome {
  state: SupervisedService;
  /** Present when the observation was a failure: what to do about it. */
  decision?: RestartDecision;
}

/**
 * A watch reported a change: the service's next state and, for a failure, the restart decision with its cause.
 * `nowMs` is workflow time (restart windows and "since" use it, never the activity's clock).
 */
export function applyObservation(
  state: SupervisedService,
  observation: Observation,
  spec: SupervisionSpec,
  owner: RestartOwner,
  nowMs: number,
): ObservationOutcome {
  const recentRestartsMs = withinWindow(state.recentRestartsMs, nowMs, spec.startLimitIntervalMs);
  const base = { ...state, recentRestartsMs, restartAtMs: undefined };
  switch (observation.kind) {
    case 'healthy':
    case 'degraded': {
      const wasUp = state.phase === 'healthy' || state.phase === 'degraded';
      return {
        state: {
          ...base,
          ...engineCount(state, observation),
          phase: observation.kind,
          sinceMs: state.phase === observation.kind ? state.sinceMs : nowMs,
          upSinceMs: wasUp ? state.upSinceMs : nowMs,
          latencyMs: observation.latencyMs ?? state.latencyMs,
          message: undefined,
        },
      };
    }
    default: {
      const decision = decideRestart(spec, owner, observation, recentRestartsMs, nowMs);
      const lastExit =
        observation.kind === 'exited'
          ? { exitCode: observation.exitCode, logTail: observation.logTail }
          : observation.kind === 'absent'
            ? { exitCode: -1, logTail: '' }
            : state.lastExit;
      const failedPhase = observation.kind === 'unhealthy' ? 'unhealthy' : 'down';
      const next: SupervisedService = {
        ...base,
        ...engineCount(state, observation),
        lastExit,
        upSinceMs: undefined,
        latencyMs: observation.kind === 'unhealthy' ? (observation.latencyMs ?? state.latencyMs) : state.latencyMs,
        ...(decision.action === 'restart'
          ? { phase: 'restarting', sinceMs: nowMs, restartAtMs: nowMs + decision.delayMs, message: decision.cause }
          : decision.action === 'give-up'
            ? { phase: 'crash-loop', sinceMs: nowMs, message: decision.message }
            : {
                phase: failedPhase,
                sinceMs: state.phase === failedPhase ? state.sinceMs : nowMs,
                message: `${observation.kind === 'unhealthy' ? observation.reason : describeExit(observation)}; ${decision.cause}`,
              }),
      };
      return { state: next, decision };
    }
  }
}

/** Records a restart bootwave requested now: counted once, and inside the crash-loop window. */
export function recordRestart(state: SupervisedService, spec: SupervisionSpec, nowMs: number): SupervisedService {
  return {
    ...state,
    phase: 'restarting',
    sinceMs: state.phase === 'restarting' ? state.sinceMs : nowMs,
    restarts: state.restarts + 1,
    recentRestartsMs: [...withinWindow(state.recentRestartsMs, nowMs, spec.startLimitIntervalMs), nowMs],
    restartAtMs: undefined,
    // bootwave's restart replaces what ran: the engine's count starts again.
    engineRestarts: undefined,
  };
}

/** Restarts the target's own engine made since the last report count as restarts (shown, and in the metrics). */
function engineCount(
  state: SupervisedService,
  observation: Observation,
): Pick<SupervisedService, 'restarts' | 'engineRestarts'> | undefined {
  const count = 'engineRestarts' in observation ? observation.engineRestarts : undefined;
  if (count === undefined) return undefined;
  return { restarts: state.restarts + Math.max(0, count - (state.engineRestarts ?? 0)), engineRestarts: count };
}

function describeExit(observation: Extract<Observation, { kind: 'exited' | 'absent' }>): string {
  return observation.kind === 'absent' ? 'removed' : `exited with code ${observation.exitCode}`;
}
