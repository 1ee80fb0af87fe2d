import type { Dependency, DependencyCondition } from '../plan/types';
import type { ServicePhase } from '../contract/status';

/** Whether a service may start now: its dependencies' phases against their conditions. Pure. */
export type Gate =
  { verdict: 'open' } | { verdict: 'wait'; waitingFor: string[] } | { verdict: 'blocked'; reason: string };

const meets: Record<DependencyCondition, readonly ServicePhase[]> = {
  started: ['probing', 'healthy', 'degraded', 'completed'],
  healthy: ['healthy', 'degraded'],
  completed: ['completed'],
};

const settledGood: readonly ServicePhase[] = ['healthy', 'degraded', 'completed'];

/** Phases from which a dependency can never meet its condition in this boot. */
const deadPhases: readonly ServicePhase[] = ['failed', 'skipped', 'stopped', 'rolled-back'];

/**
 * `requires` blocks on a dead dependency; `wants` still orders (waits while the dependency is on its way)
 * but tolerates its failure or absence, as systemd's Wants= with After=.
 */
export function evaluateGate(dependsOn: Dependency[], phaseOf: (service: string) => ServicePhase | undefined): Gate {
  const waitingFor: string[] = [];
  for (const dependency of dependsOn) {
    const phase = phaseOf(dependency.service);
    if (phase !== undefined && meets[dependency.condition].includes(phase)) continue;
    // Dead, absent, or settled in a phase that can never meet the condition (healthy but `completed` asked).
    const never = phase === undefined || deadPhases.includes(phase) || settledGood.includes(phase);
    if (never) {
      if (dependency.kind === 'wants') continue;
      const why = phase === undefined ? 'which is not part of this boot' : `which is ${phase}`;
      return { verdict: 'blocked', reason: `requires ${dependency.service} (${dependency.condition}), ${why}` };
    }
    waitingFor.push(`${dependency.service} (${dependency.condition})`);
  }
  return waitingFor.length === 0 ? { verdict: 'open' } : { verdict: 'wait', waitingFor };
}

/** Phases after which a service changes no more in this wave. */
export const settledPhases: readonly ServicePhase[] = ['healthy', 'degraded', 'completed', 'failed', 'skipped'];
