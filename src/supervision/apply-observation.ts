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
      const restartedByOwner = observation.kind === 'exited' && observation.restartedBy === 'owner';
      const next: SupervisedService = {
        ...base,
        lastExit,
        restarts: state.restarts + (restartedByOwner ? 1 : 0),
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
  };
}

function describeExit(observation: Extract<Observation, { kind: 'exited' | 'absent' }>): string {
  return observation.kind === 'absent' ? 'removed' : `exited with code ${observation.exitCode}`;
}
