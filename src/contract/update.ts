import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BootOptions } from '../plan/boot-input';
import type { ResolvedPlan, UpdatePolicy } from '../plan/types';
import type { ServiceChange } from '../update/plan-diff';
import type { UpdateBatch } from '../update/update-batches';
import type { RolloutMethod } from '../update/update-order';
import type { UpdateSettings } from '../update/update-settings';

/** The workflow type a rolling update runs as: the CLI, clients, the Web UI and Temporal Schedules start it. */
export const updateWorkflowType = 'updateWorkflow';

/** An update of a plan (the CLI's and the client's default ID): one at a time per plan by Temporal's own rule. */
export function updateWorkflowId(planName: string): string {
  return `bootwave-update-${planName}`;
}

/** How an update rolls out (every field optional: the plan's own `update:` settings, then defaults, apply). */
export interface UpdateOptions extends UpdatePolicy {
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

export const UpdateOutcomes = [
  /** Every change rolled out and healthy through its health window (or nothing to change). */
  'updated',
  /** Some non-critical services went back to their old version (within the failure threshold); the rest updated. */
  'partially-updated',
  /** A rollback trigger fired: every service the update changed runs its previous version again. */
  'rolled-back',
  /** The rollback itself did not end healthy: see the services' `error`. */
  'failed',
  /** Nothing was done: another update, a boot or a `down` of the stack is under way, or no stack runs. */
  'refused',
  /** `dryRun`: the diff and the batches only. */
  'dry-run',
  /** Outside the plan's maintenance windows with `outsideWindow: skip`: nothing was done. */
  'skipped',
] as const;
export type UpdateOutcome = (typeof UpdateOutcomes)[number];

export const ServiceUpdatePhases = [
  'pending',
  'updating',
  'observing',
  'updated',
  'rolling-back',
  'rolled-back',
  'removed',
  'failed',
] as const;
export type ServiceUpdatePhase = (typeof ServiceUpdatePhases)[number];

/** One service's rollout, live in the stack's status and final in the report. */
export interface ServiceUpdate {
  service: string;
  kind: ServiceChange['kind'];
  method?: RolloutMethod;
  phase: ServiceUpdatePhase;
  batch: number;
  /** Stop-first: from the old instance's stop to the new one ready (workflow time); 0 for start-first. */
  downtimeMs?: number;
  /** Why it was rolled back, or why it failed. */
  error?: string;
}

/** An update's result: the `updateWorkflow`'s result and the stack's `update` status while one runs. */
export interface UpdateReport {
  plan: string;
  updateWorkflowId: string;
  /**
   * The run of that workflow: every update of a plan has the same workflow ID by default, and the stack keeps its
   * last report, so a client tells its own update's progress from the previous one's by the run.
   */
  updateRunId?: string;
  outcome: UpdateOutcome;
  /** Why it was refused or rolled back. */
  reason?: string;
  /** Refused for a moment only (the stack was moving to a new run): the update workflow asks again. */
  retryable?: boolean;
  settings?: UpdateSettings;
  changes: ServiceChange[];
  batches: UpdateBatch[];
  /** How each changed, added or removed service is rolled out (start-first, stop-first, apply) and why. */
  methods?: Record<string, { method: RolloutMethod; reason: string }>;
  services: ServiceUpdate[];
  /** The batch being rolled out (live), or the last one. */
  currentBatch?: number;
  startedAtMs?: number;
  endedAtMs?: number;
}

/** What `updateWorkflow` sends the stack workflow: roll `plan` out, and answer with `updateReportSignal`. */
export interface UpdateRequest {
  updateWorkflowId: string;
  /** Absent from requests of older update workflows. */
  updateRunId?: string;
  plan: ResolvedPlan;
  options?: UpdateOptions;
}

/** To the stack: an update request (refused at once, by report, when the stack is busy). */
export const requestUpdateSignal = defineSignal<[UpdateRequest]>('requestUpdate');
/** To the update workflow: the stack's final report of its request. */
export const updateReportSignal = defineSignal<[UpdateReport]>('updateReport');
/** The stack's running plan: what `bootwave update --dry-run` diffs against. */
export const runningPlanQuery = defineQuery<ResolvedPlan>('runningPlan');
/** The update workflow's live report (the stack's, relayed; the final one once done). */
export const updateStatusQuery = defineQuery<UpdateReport | undefined>('updateStatus');

export type UpdateWorkflow = (input: UpdateInput) => Promise<UpdateReport>;
