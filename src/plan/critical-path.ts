import type { ResolvedPlan } from './types';

/** The longest chain along dependencies and its total weight. */
export interface CriticalPath {
  lengthMs: number;
  /** Service names from the first to start to the last to become ready. */
  path: string[];
}

/**
 * The critical path: the chain of dependencies with the largest sum of `weight` (by default each service's
 * expected start duration). No orchestrator can boot the plan faster than its length. Services are taken in the
 * plan's topological order; ties keep the earlier-declared chain.
 */
export function criticalPath(
  plan: ResolvedPlan,
  weight: (service: string) => number = expectedStart(plan),
): CriticalPath {
  const best = new Map<string, { lengthMs: number; previous?: string }>();
  let end: string | undefined;
  for (const service of plan.services) {
    let previous: string | undefined;
    let before = 0;
    for (const dependency of service.dependsOn) {
      const chain = best.get(dependency.service);
      if (chain && (previous === undefined || chain.lengthMs > before))
        [before, previous] = [chain.lengthMs, dependency.service];
    }
    const lengthMs = before + weight(service.name);
    best.set(service.name, { lengthMs, previous });
    if (end === undefined || lengthMs > best.get(end)!.lengthMs) end = service.name;
  }
  // Walked back from the end, then turned around: unshift would move the whole path at every step.
  const path: string[] = [];
  for (let name = end; name !== undefined; name = best.get(name)?.previous) path.push(name);
  return { lengthMs: end === undefined ? 0 : best.get(end)!.lengthMs, path: path.reverse() };
}

const expectedStart = (plan: ResolvedPlan) => {
  const byName = new Map(plan.services.map((s) => [s.name, s.expectedStartMs]));
  return (service: string) => byName.get(service) ?? 0;
};
