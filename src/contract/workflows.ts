import type { BootInput } from '../plan/boot-input';
import type { ResolvedPlan } from '../plan/types';
import type { BootStatus } from './status';

/** Workflow type names: what the Temporal CLI, the Web UI and clients start. */
export const workflowTypes = {
  boot: 'bootWorkflow',
  wave: 'waveWorkflow',
  teardown: 'teardownWorkflow',
} as const;

/**
 * How long a worker may hold a workflow task before the server gives it to another worker. A worker killed -9 in
 * the middle of one holds the boot this long (the server's default is 10 s); a new worker takes 1–5 s to start,
 * so 3 s rarely delays it. Not shorter: on a machine at load 20, replaying a boot's history after a crash took
 * over 2 s, and every timed-out replay started over (2 s held one boot 24 s). Set on every workflow bootwave
 * starts, children included: they do not inherit it.
 */
export const workflowTaskTimeout = '3s';

/** What `bootwave down` reports. */
export interface TeardownResult {
  stopped: string[];
  absent: string[];
  failed: { service: string; error: string }[];
  /** True when a running stack workflow was told to stop supervising first (absent in older histories). */
  supervisionEnded?: boolean;
}

/** Signatures clients start workflows by, without importing workflow code. */
export type BootWorkflow = (input: BootInput) => Promise<BootStatus>;
export type TeardownWorkflow = (plan: ResolvedPlan) => Promise<TeardownResult>;
