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
 * How long a worker may hold a workflow task before the server gives it to another worker; boot and wave
 * workflows run short tasks. A worker killed -9 in the middle of one holds the boot this long (the server's
 * default is 10 s). Set on every workflow bootwave starts, children included: they do not inherit it.
 */
export const workflowTaskTimeout = '2s';

/** What `bootwave down` reports. */
export interface TeardownResult {
  stopped: string[];
  absent: string[];
  failed: { service: string; error: string }[];
}

/** Signatures clients start workflows by, without importing workflow code. */
export type BootWorkflow = (input: BootInput) => Promise<BootStatus>;
export type TeardownWorkflow = (plan: ResolvedPlan) => Promise<TeardownResult>;
