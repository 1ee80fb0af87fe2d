import type { ServiceSpec, UpdateOrder } from '../plan/types';
import { servicePorts } from '../supervision/plan-without';

/**
 * How one service changes version: `start-first` (the new instance beside the old one, then the old stops: no
 * downtime), `stop-first` (the old stops, then the new starts: down until it is healthy), or `apply` (Kubernetes:
 * the new manifests are applied over the old ones and the workload's own strategy — a Deployment's RollingUpdate —
 * replaces its pods).
 */
export type RolloutMethod = 'start-first' | 'stop-first' | 'apply';

export interface RolloutDecision {
  method: RolloutMethod;
  /** Why, for `--dry-run` and the report. */
  reason: string;
}

/**
 * Start-first needs a second instance that cannot collide with the first: for a process, ports (as its checks
 * name them) that differ between the old and the new definition; for a container, no host port in common and no
 * mounted volume (two containers would write the same data) unless the update's order asks for start-first — as
 * Swarm's `update_config.order`. A one-shot runs again after its stop.
 */
export function rolloutMethod(old: ServiceSpec, next: ServiceSpec, order: UpdateOrder): RolloutDecision {
  if (next.target.driver === 'kubernetes')
    return {
      method: 'apply',
      reason:
        'Kubernetes applies the new objects; the workload’s own strategy (a Deployment’s RollingUpdate) replaces its pods',
    };
  if (order === 'stop-first') return { method: 'stop-first', reason: 'the update’s order is stop-first' };
  if (next.oneShot || old.oneShot) return { method: 'stop-first', reason: 'a one-shot runs to completion again' };
  if (next.target.driver !== old.target.driver)
    return { method: 'stop-first', reason: `its driver changes (${old.target.driver} → ${next.target.driver})` };
  const oldPorts = servicePorts(old);
  const newPorts = servicePorts(next);
  const shared = newPorts.filter((port) => oldPorts.includes(port));
  if (next.target.driver === 'docker' && old.target.driver === 'docker') {
    if (shared.length > 0)
      return { method: 'stop-first', reason: `the new version uses port ${shared.join(', ')} as the old one does` };
    const mounted = [...old.target.volumes, ...next.target.volumes];
    if (mounted.length > 0 && order !== 'start-first')
      return {
        method: 'stop-first',
        reason: `it mounts ${mounted[0]}: two containers would share its data (update order start-first allows it)`,
      };
    return {
      method: 'start-first',
      reason:
        order === 'start-first'
          ? 'the update’s order is start-first'
          : 'no host port or volume in common: the new container runs beside the old one',
    };
  }
  if (order === 'start-first' && newPorts.length === 0)
    return { method: 'start-first', reason: 'the update’s order is start-first' };
  if (newPorts.length === 0 || oldPorts.length === 0)
    return { method: 'stop-first', reason: 'its ports are unknown (no check names them): two instances might collide' };
  if (shared.length > 0)
    return { method: 'stop-first', reason: `the new version uses port ${shared.join(', ')} as the old one does` };
  return { method: 'start-first', reason: `its ports differ (${oldPorts.join(', ')} → ${newPorts.join(', ')})` };
}
