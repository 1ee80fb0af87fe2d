import type { BootStatus } from '../contract/status';
import type { WaveSpec } from '../plan/types';

/** What activities tell the worker's metrics (implemented by `BootwaveMetrics`; absent when metrics are off). */
export interface SupervisionObserver {
  observeProbe(plan: string, service: string, round: { ok: boolean; latencyMs: number }): void;
  observeBoot(boot: BootStatus, waves: Pick<WaveSpec, 'name' | 'deadlineMs'>[]): void;
}
