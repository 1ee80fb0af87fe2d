import type { ResolvedPlan, ServiceSpec } from '../plan/types';

/** The plan the boot runs when some services are left out (on-demand ones): emptied waves go, the rest renumber. */
export function planWithout(plan: ResolvedPlan, names: readonly string[]): ResolvedPlan {
  if (names.length === 0) return plan;
  const drop = new Set(names);
  return {
    ...plan,
    services: plan.services.filter((s) => !drop.has(s.name)),
    waves: plan.waves
      .map((wave) => ({ ...wave, services: wave.services.filter((name) => !drop.has(name)) }))
      .filter((wave) => wave.services.length > 0)
      .map((wave, index) => ({ ...wave, index })),
  };
}

/** The local TCP ports a service serves on, as far as the plan says: its checks' ports and Docker's published ones. */
export function servicePorts(service: ServiceSpec): number[] {
  const ports = new Set<number>();
  const probe = service.health?.probe;
  const leaves =
    probe === undefined
      ? []
      : probe.kind === 'staged'
        ? probe.stages.flatMap((s) => (s.check.kind === 'composite' ? s.check.checks : [s.check]))
        : probe.kind === 'composite'
          ? probe.checks
          : [probe];
  for (const leaf of leaves) {
    if (leaf.kind === 'tcp') ports.add(leaf.port);
    if (leaf.kind === 'http') {
      const match = /^https?:\/\/[^/:]+(?::(\d+))?/.exec(leaf.url);
      ports.add(match?.[1] ? Number(match[1]) : leaf.url.startsWith('https') ? 443 : 80);
    }
  }
  if (service.target.driver === 'docker') for (const p of service.target.ports) ports.add(p.hostPort);
  return [...ports];
}
