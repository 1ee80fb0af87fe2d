import type { ResolvedPlan, ServiceSpec } from '../plan/types';
import { definitionHash } from './definition-hash';

export const ChangeKinds = ['unchanged', 'changed', 'added', 'removed'] as const;
export type ChangeKind = (typeof ChangeKinds)[number];

/** One service's fate in an update: its definition hash before (`from`) and after (`to`). */
export interface ServiceChange {
  service: string;
  kind: ChangeKind;
  /** The wave it is in: the new plan's for all but removed services. */
  wave: string;
  from?: string;
  to?: string;
}

/**
 * Compares the running plan with the new one service by service, by definition hash: `changed` needs a new
 * instance; `unchanged` keeps its instance (its other fields — restart policy, dependencies — still take effect).
 * The new plan's order first (topological), then the removed services in the running plan's order.
 */
export function diffPlans(running: ResolvedPlan, next: ResolvedPlan): ServiceChange[] {
  const before = new Map<string, ServiceSpec>(running.services.map((s) => [s.name, s]));
  const after = new Set(next.services.map((s) => s.name));
  const changes: ServiceChange[] = next.services.map((service) => {
    const old = before.get(service.name);
    const to = definitionHash(service);
    if (!old) return { service: service.name, kind: 'added', wave: service.wave, to };
    const from = definitionHash(old);
    return { service: service.name, kind: from === to ? 'unchanged' : 'changed', wave: service.wave, from, to };
  });
  for (const old of running.services)
    if (!after.has(old.name))
      changes.push({ service: old.name, kind: 'removed', wave: old.wave, from: definitionHash(old) });
  return changes;
}
