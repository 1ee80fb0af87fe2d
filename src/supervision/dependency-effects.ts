import type { ServiceSpec } from '../plan/types';
import type { Breaker } from '../contract/supervision';
import { edgeKey } from './circuit-breaker';
import { supervisionOf } from './supervision-of';
import { upPhases, type SupervisedService } from '../contract/supervision';

export interface DependencyAction {
  service: string;
  /** `stop` now (its dependency went down); `restart` or `start` (stopped earlier) now that all are back. */
  action: 'stop' | 'restart' | 'start';
  cause: string;
}

export interface DependencyEffects {
  /** Services whose `blockedBy` or `restartWhenUnblocked` changed, with their new values. */
  changes: Record<string, Pick<SupervisedService, 'blockedBy' | 'restartWhenUnblocked'>>;
  actions: DependencyAction[];
}

/** Services in these phases are neither blocked nor acted on: done, given up, or on demand. */
const notRunning = ['completed', 'failed', 'crash-loop', 'on-demand', 'idle-stopped'];

/** Phases of a service that is (meant to be) running, and so can be stopped or restarted for a dependency. */
const runningPhases = ['healthy', 'degraded', 'unhealthy'];

/**
 * Run-time `requires` edges, from a snapshot of the stack: a dependent is blocked by each dependency that is not
 * up or whose edge breaker is not closed. Newly blocked dependents are stopped (`onDependencyFailure: stop`) or
 * marked for a restart (`restart`); once nothing blocks them they are restarted (or started again).
 * `wants` edges never block. Pure: the same snapshot always gives the same effects.
 */
export function dependencyEffects(
  specs: readonly ServiceSpec[],
  states: Readonly<Record<string, SupervisedService>>,
  breakers: Readonly<Record<string, Breaker>>,
): DependencyEffects {
  const effects: DependencyEffects = { changes: {}, actions: [] };
  for (const spec of specs) {
    const state = states[spec.name];
    if (!state || notRunning.includes(state.phase)) continue;
    const blockedBy = spec.dependsOn
      .filter((d) => d.kind === 'requires')
      .filter((d) => {
        const dependency = states[d.service];
        const breaker = breakers[edgeKey(spec.name, d.service)];
        return (dependency && !upPhases.includes(dependency.phase)) || (breaker && breaker.state !== 'closed');
      })
      .map((d) => d.service);
    const policy = supervisionOf(spec).onDependencyFailure;
    let restartWhenUnblocked = state.restartWhenUnblocked;
    const newlyBlocked = blockedBy.length > 0 && state.blockedBy.length === 0;
    if (newlyBlocked && policy !== 'ignore' && runningPhases.includes(state.phase)) {
      restartWhenUnblocked = true;
      if (policy === 'stop')
        effects.actions.push({ service: spec.name, action: 'stop', cause: `blocked by ${blockedBy.join(', ')}` });
    }
    if (blockedBy.length === 0 && restartWhenUnblocked) {
      restartWhenUnblocked = undefined;
      effects.actions.push({
        service: spec.name,
        action: state.phase === 'stopped' ? 'start' : 'restart',
        cause: `${state.blockedBy.join(', ') || 'its dependencies'} recovered (onDependencyFailure: ${policy})`,
      });
    }
    if (!sameList(blockedBy, state.blockedBy) || restartWhenUnblocked !== state.restartWhenUnblocked)
      effects.changes[spec.name] = { blockedBy, restartWhenUnblocked };
  }
  return effects;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
