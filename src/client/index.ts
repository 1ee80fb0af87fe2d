/**
 * The client entry point (`bootwave/client`, also `bootwave`): start, watch, list, control and bring down boots,
 * and load plans. It loads `@temporalio/client` and the plan loader only — no worker, no bundler, no Docker or
 * Kubernetes client — so a service that drives boots stays small and starts fast.
 */
export { BootClient, BootControlRefusedError, BootHandle } from './boot-client';
export { BootUnansweredError, StackUnansweredError } from './client-errors';
export { bootWorkflowId } from '../contract/ids';
export { UpdateSchedules, UpdateScheduleHandle } from '../schedules/update-schedules';
export type {
  CreateUpdateScheduleOptions,
  TriggerOutcome,
  UpdateScheduleDetails,
  UpdateScheduleSummary,
} from '../schedules/update-schedules';
export { ScheduleExistsError, ScheduleRefusedError, UnknownScheduleError } from '../schedules/schedule-errors';
export { checkScheduleRequest } from '../schedules/schedule-request';
export type { ScheduleRequest, ScheduleTiming } from '../schedules/schedule-request';
export type { PlanSnapshot } from '../schedules/plan-snapshot';
export type { BootSummary, ExecutionState, LiveBootStatus, LiveServiceStatus, StartBootOptions } from './boot-client';
export { loadPlanOrCompose, isComposeFile } from '../compose/load-any';
export type { AnyPlanResult } from '../compose/load-any';
export { loadPlan } from '../plan/load-plan';
export type { LoadPlanOptions } from '../plan/load-plan';
export { formatIssue } from '../plan/plan-issue';
export type { LoadResult, PlanIssue } from '../plan/plan-issue';
export type { BootInput, BootOptions, FailurePolicy, Strategy } from '../plan/boot-input';
export type { ResolvedPlan, ServiceSpec, WaveSpec } from '../plan/types';
export type { BootControlState, BootPhase, BootStatus, ServicePhase, ServiceStatus } from '../contract/status';
export type { TeardownResult } from '../contract/workflows';
export { UpdateHandle } from './update-handle';
export { updateWorkflowId, updateWorkflowType } from '../contract/update';
export type { UpdateInput, UpdateOptions, UpdateReport, UpdateOutcome, ServiceUpdate } from '../contract/update';
