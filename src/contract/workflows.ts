import type { BootInput } from '../plan/boot-input';
import type { ResolvedPlan } from '../plan/types';
import type { BootStatus } from './status';

/** Workflow type names: what the Temporal CLI, the Web UI and clients start. */
export const workflowTypes = {
  boot: 'bootWorkflow',
  wave: 'waveWorkflow',
  teardown: 'teardownWorkflow',
} as const;

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
