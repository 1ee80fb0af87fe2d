import type { ResolvedPlan } from '../plan/types';
import type { BootStatus, ServiceStatus } from '../contract/status';
import { phaseSymbol } from './phase-style';

/** A service's measured start-to-ready time, when it has both. */
export function readyDurationMs(service: ServiceStatus): number | undefined {
  return service.startedAtMs !== undefined && service.readyAtMs !== undefined
    ? service.readyAtMs - service.startedAtMs
    : undefined;
}

export interface BootTimings {
  /** From the boot's start to the last service ready. */
  totalMs: number;
  /** The longest chain of measured start-to-ready times along dependencies: no orchestrator could beat it. */
  floorMs: number;
  floorChain: string[];
  overheadMs: number;
}

/** Measured timings of a finished boot; `longestChain` is the plan's critical-path function. */
export function bootTimings(
  plan: ResolvedPlan,
  status: BootStatus,
  longestChain: (plan: ResolvedPlan, weight: (service: string) => number) => { lengthMs: number; path: string[] },
): BootTimings | undefined {
  const byName = new Map(status.services.map((s) => [s.name, s]));
  const readyTimes = status.services.map((s) => s.readyAtMs).filter((t): t is number => t !== undefined);
  if (readyTimes.length === 0) return undefined;
  const totalMs = Math.max(...readyTimes) - status.startedAtMs;
  const chain = longestChain(plan, (name) => readyDurationMs(byName.get(name)!) ?? 0);
  return { totalMs, floorMs: chain.lengthMs, floorChain: chain.path, overheadMs: totalMs - chain.lengthMs };
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(2)}s`);

/** The table printed when a boot ends: service, wave, time to ready, status. */
export function summaryTable(status: BootStatus): string {
  const rows = status.services.map((s) => [
    `${phaseSymbol[s.phase]} ${s.name}`,
    s.wave,
    seconds(readyDurationMs(s)),
    s.phase + (s.error ? `: ${s.error}` : ''),
  ]);
  const header = ['SERVICE', 'WAVE', 'READY IN', 'STATUS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function timingLines(timings: BootTimings, expected: { lengthMs: number; path: string[] }): string[] {
  return [
    `boot time ${seconds(timings.totalMs)} · critical-path floor ${seconds(timings.floorMs)} (${timings.floorChain.join(' → ')})`,
    `overhead above the floor ${seconds(timings.overheadMs)} · planned critical path ${seconds(expected.lengthMs)} (${expected.path.join(' → ')})`,
  ];
}
