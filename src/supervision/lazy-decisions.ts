import type { ServiceSpec } from '../plan/types';
import { upPhases, type SupervisedService } from '../contract/supervision';
import { supervisionOf } from './supervision-of';

export interface LazyStartDecision {
  /** Services to start, dependencies first, the asked service last. */
  start: string[];
  /** Least recently used members of a full group, stopped to make room (Cascade §5.2 `eviction_policy: lru`). */
  evict: string[];
}

/**
 * Starting an on-demand service: it and every dependency (transitively) that is not up, in dependency order; and,
 * per `lazy.group`, the least recently used running members beyond `maxActive` once these start. Never evicts what
 * this start needs.
 */
export function decideLazyStart(
  specs: readonly ServiceSpec[],
  states: Readonly<Record<string, SupervisedService>>,
  target: string,
): LazyStartDecision {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const needed: string[] = [];
  const visit = (name: string) => {
    if (needed.includes(name)) return;
    for (const dependency of byName.get(name)?.dependsOn ?? []) visit(dependency.service);
    needed.push(name);
  };
  visit(target);
  const isUp = (name: string) => {
    const state = states[name];
    return state !== undefined && upPhases.includes(state.phase);
  };
  const start = needed.filter((name) => name === target || !isUp(name));
  const evict: string[] = [];
  const groups = new Map<string, { maxActive: number; incoming: number }>();
  for (const name of start) {
    const lazy = supervisionOf(byName.get(name)!).lazy;
    if (!lazy?.maxActive || isUp(name)) continue;
    const group = groups.get(lazy.group) ?? { maxActive: lazy.maxActive, incoming: 0 };
    groups.set(lazy.group, { maxActive: Math.min(group.maxActive, lazy.maxActive), incoming: group.incoming + 1 });
  }
  for (const [group, { maxActive, incoming }] of groups) {
    const running = specs
      .filter((s) => supervisionOf(s).lazy?.group === group && isUp(s.name) && !needed.includes(s.name))
      .sort((a, b) => (states[a.name]!.lastUsedAtMs ?? 0) - (states[b.name]!.lastUsedAtMs ?? 0));
    const runningInGroup = specs.filter((s) => supervisionOf(s).lazy?.group === group && isUp(s.name)).length;
    const excess = runningInGroup + incoming - maxActive;
    evict.push(...running.slice(0, Math.max(0, excess)).map((s) => s.name));
  }
  return { start, evict };
}

/** Idle: no measured activity for `idleTimeoutMs` (see the watch activity for what counts as activity). */
export function isIdle(lastActiveAtMs: number, idleTimeoutMs: number, nowMs: number): boolean {
  return nowMs - lastActiveAtMs >= idleTimeoutMs;
}

/** Lazy services the boot leaves out: on-demand ones that no eager service needs. */
export function lazyServices(specs: readonly ServiceSpec[]): string[] {
  const lazy = new Set(specs.filter((s) => supervisionOf(s).lazy).map((s) => s.name));
  const neededByEager = (name: string, seen = new Set<string>()): boolean =>
    specs.some(
      (s) =>
        s.dependsOn.some((d) => d.service === name) &&
        !seen.has(s.name) &&
        (!lazy.has(s.name) || neededByEager(s.name, seen.add(s.name))),
    );
  return [...lazy].filter((name) => !neededByEager(name));
}
