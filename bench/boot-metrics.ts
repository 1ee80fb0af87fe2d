import { criticalPath } from '../src/plan/critical-path';
import type { ResolvedPlan } from '../src/plan/types';
import type { BootStatus } from '../src/workflows/status';

/** The figures of one measured boot (all durations in ms). */
export interface BootMetrics {
  totalMs: number;
  floorMs: number;
  overheadMs: number;
  depLatencyMedianMs: number;
  depLatencyP95Ms: number;
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
export function bootMetrics(plan: ResolvedPlan, result: BootStatus, requestedAtMs: number): BootMetrics {
  const byName = new Map(result.services.map((s) => [s.name, s]));
  const timesOf = (name: string) => {
    const s = byName.get(name);
    if (s?.startedAtMs === undefined || s.readyAtMs === undefined)
      throw new Error(`service ${name} has no start/ready time (phase ${s?.phase ?? 'missing'})`);
    return { startedAtMs: s.startedAtMs, readyAtMs: s.readyAtMs };
  };
  const lastReadyMs = Math.max(...plan.services.map((s) => timesOf(s.name).readyAtMs));
  const floor = criticalPath(plan, (name) => {
    const t = timesOf(name);
    return t.readyAtMs - t.startedAtMs;
  });
  const latencies: number[] = [];
  for (const service of plan.services) {
    if (service.dependsOn.length === 0) continue;
    // A `started` dependency releases its dependent when it starts, every other condition when it is ready.
    const releasedAtMs = Math.max(
      ...service.dependsOn.map((d) =>
        d.condition === 'started' ? timesOf(d.service).startedAtMs : timesOf(d.service).readyAtMs,
      ),
    );
    latencies.push(timesOf(service.name).startedAtMs - releasedAtMs);
  }
  const totalMs = lastReadyMs - requestedAtMs;
  return {
    totalMs,
    floorMs: floor.lengthMs,
    overheadMs: totalMs - floor.lengthMs,
    depLatencyMedianMs: median(latencies),
    depLatencyP95Ms: percentile(latencies, 95),
    depLatencySamples: latencies.length,
  };
}
