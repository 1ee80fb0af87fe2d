import { criticalPath } from '../src/plan/critical-path';
import type { Strategy } from '../src/plan/boot-input';
import type { ResolvedPlan } from '../src/plan/types';
import type { BootStatus } from '../src/contract/status';

/** The figures of one measured boot (all durations in ms). */
export interface BootMetrics {
  totalMs: number;
  floorMs: number;
  /** With `waves`: the floor when each wave must wait for the whole previous wave (sum of per-wave floors). */
  barrierFloorMs: number;
  /** total − the floor of the strategy used (`floorMs` for dag, `barrierFloorMs` for waves): the engine's cost. */
  overheadMs: number;
  depLatencyMedianMs: number;
  depLatencyP95Ms: number;
  /** Start − the moment the strategy allowed the start (dependencies and, with `waves`, the previous wave done). */
  handOffMedianMs: number;
  handOffP95Ms: number;
  /** Services whose dependency-to-dependent latency was measured. */
  depLatencySamples: number;
}

/** Nearest-rank percentile of `values` (p in 0..100); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/**
 * Metrics from a finished boot. `requestedAtMs` is the client's clock just before it asked Temporal to start
 * the workflow, so the total includes workflow start-up. The floor is the critical path weighted by each
 * service's MEASURED start→ready time: no orchestrator could boot these services, as they behaved, faster.
 */
export function bootMetrics(
  plan: ResolvedPlan,
  result: BootStatus,
  requestedAtMs: number,
  strategy: Strategy,
): BootMetrics {
  const byName = new Map(result.services.map((s) => [s.name, s]));
  const timesOf = (name: string) => {
    const s = byName.get(name);
    if (s?.startedAtMs === undefined || s.readyAtMs === undefined)
      throw new Error(`service ${name} has no start/ready time (phase ${s?.phase ?? 'missing'})`);
    return { startedAtMs: s.startedAtMs, readyAtMs: s.readyAtMs };
  };
  const lastReadyMs = Math.max(...plan.services.map((s) => timesOf(s.name).readyAtMs));
  const measured = (name: string) => {
    const t = timesOf(name);
    return t.readyAtMs - t.startedAtMs;
  };
  const floor = criticalPath(plan, measured);
  const barrierFloorMs = plan.waves
    .map((wave) => criticalPath(waveOnly(plan, wave.name), measured).lengthMs)
    .reduce((a, b) => a + b, 0);

  const latencies: number[] = [];
  const handOffs: number[] = [];
  const allowed = allowedStarts(plan, result, requestedAtMs, strategy);
  for (const service of plan.services) {
    const startedAtMs = timesOf(service.name).startedAtMs;
    if (service.dependsOn.length > 0)
      latencies.push(startedAtMs - dependenciesMetAtMs(service, timesOf, requestedAtMs));
    const allowedAtMs = allowed.get(service.name);
    if (allowedAtMs !== undefined) handOffs.push(startedAtMs - allowedAtMs);
  }
  const totalMs = lastReadyMs - requestedAtMs;
  return {
    totalMs,
    floorMs: floor.lengthMs,
    barrierFloorMs,
    overheadMs: totalMs - (strategy === 'waves' ? barrierFloorMs : floor.lengthMs),
    depLatencyMedianMs: median(latencies),
    depLatencyP95Ms: percentile(latencies, 95),
    depLatencySamples: latencies.length,
    handOffMedianMs: median(handOffs),
    handOffP95Ms: percentile(handOffs, 95),
  };
}

/** When a service started and was ready: a boot's `ServiceStatus`, or the Temporal floor's own record. */
type ServiceTimes = Pick<BootStatus['services'][number], 'name' | 'startedAtMs' | 'readyAtMs'>;

type TimesOf = (name: string) => { startedAtMs: number; readyAtMs: number };

/** A `started` dependency releases its dependent when it starts, every other condition when it is ready. */
function dependenciesMetAtMs(service: ResolvedPlan['services'][number], timesOf: TimesOf, requestedAtMs: number) {
  return Math.max(
    requestedAtMs,
    ...service.dependsOn.map((d) =>
      d.condition === 'started' ? timesOf(d.service).startedAtMs : timesOf(d.service).readyAtMs,
    ),
  );
}

/**
 * When the strategy allowed each service to start (dependencies met and, with `waves`, every service of the earlier
 * waves ready), for the services that had to wait for something: the start of a hand-off.
 */
export function allowedStarts(
  plan: ResolvedPlan,
  result: { services: readonly ServiceTimes[] },
  requestedAtMs: number,
  strategy: Strategy,
): Map<string, number> {
  const byName = new Map(result.services.map((s) => [s.name, s]));
  const timesOf: TimesOf = (name) => ({
    startedAtMs: byName.get(name)?.startedAtMs ?? Number.NaN,
    readyAtMs: byName.get(name)?.readyAtMs ?? Number.NaN,
  });
  const waveIndex = new Map(plan.waves.map((w) => [w.name, w.index]));
  /** With `waves`, a wave starts when every service of the earlier waves is ready. */
  const barrierAtMs = (wave: string) =>
    Math.max(
      requestedAtMs,
      ...plan.services
        .filter((s) => waveIndex.get(s.wave)! < waveIndex.get(wave)!)
        .map((s) => timesOf(s.name).readyAtMs),
    );
  const allowed = new Map<string, number>();
  for (const service of plan.services) {
    const metAtMs = dependenciesMetAtMs(service, timesOf, requestedAtMs);
    const allowedAtMs = strategy === 'waves' ? Math.max(metAtMs, barrierAtMs(service.wave)) : metAtMs;
    if (allowedAtMs > requestedAtMs) allowed.set(service.name, allowedAtMs);
  }
  return allowed;
}

/** One wave's services with only their dependencies inside the wave: what a wave costs once it has started. */
function waveOnly(plan: ResolvedPlan, wave: string): ResolvedPlan {
  const services = plan.services.filter((s) => s.wave === wave);
  const names = new Set(services.map((s) => s.name));
  return {
    ...plan,
    services: services.map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => names.has(d.service)) })),
  };
}
