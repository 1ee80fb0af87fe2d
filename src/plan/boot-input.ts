import type { ResolvedPlan } from './types';

export const Strategies = ['waves', 'dag'] as const;
/** `waves`: a barrier between waves (as the seeds do); `dag`: a service starts once its own dependencies are met. */
export type Strategy = (typeof Strategies)[number];

export const FailurePolicies = ['rollback', 'halt', 'continue'] as const;
/**
 * What a boot does when a critical service fails (or the boot is cancelled):
 * `rollback` stops everything this boot started, newest first; `halt` stops starting and leaves what runs;
 * `continue` skips what requires the failure and boots the rest.
 */
export type FailurePolicy = (typeof FailurePolicies)[number];

export interface BootOptions {
  strategy: Strategy;
  onFailure: FailurePolicy;
  /** Most services starting at once within a wave; unlimited when absent. */
  maxParallel?: number;
  /** Budget for the rollback itself, separate from the boot's (Helm's --atomic shares it and then fails). */
  rollbackTimeoutMs: number;
}

/** The input of `bootWorkflow`: plain JSON, so a boot can be started from the Temporal CLI or Web UI. */
export interface BootInput {
  plan: ResolvedPlan;
  options: BootOptions;
}

export const defaultBootOptions: BootOptions = {
  strategy: 'dag',
  onFailure: 'rollback',
  rollbackTimeoutMs: 5 * 60_000,
};
