import type { BootOptions } from '../plan/boot-input';
import type { ResolvedPlan } from '../plan/types';

/** The workflow type a rolling update runs as: the CLI, clients, the Web UI and Temporal Schedules start it. */
export const updateWorkflowType = 'updateWorkflow';

/** How an update rolls out (every field optional: the plan's own `update:` settings, then defaults, apply). */
export interface UpdateOptions {
  /** Only print what would change; start nothing. */
  dryRun?: boolean;
  /** Boot options for services added by the update and for a stack that is not running yet. */
  boot?: Partial<BootOptions>;
}

/**
 * The input of `updateWorkflow`: plain JSON, so an update can be started from the Temporal CLI, the Web UI or a
 * Schedule (which holds a snapshot of the plan taken when the schedule was created or last updated).
 */
export interface UpdateInput {
  plan: ResolvedPlan;
  options?: UpdateOptions;
}
