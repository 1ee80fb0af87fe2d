import { ApplicationFailure, WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { stackStatusQuery, stackWorkflowId } from '../contract/supervision';
import { runningPlanQuery, type UpdateReport, type UpdateWorkflow } from '../contract/update';
import type { ResolvedPlan } from '../plan/types';

/** A running or finished update: its live progress (from the stack that rolls it out) and its final report. */
export class UpdateHandle {
  constructor(
    private readonly client: Client,
    readonly workflow: WorkflowHandle<UpdateWorkflow>,
    readonly plan: string,
    /** The run this handle started, when it started one. */
    readonly runId?: string,
  ) {}

  get workflowId(): string {
    return this.workflow.workflowId;
  }

  /** The rollout as the stack reports it now (batches, each service's phase); undefined before it starts. */
  async progress(): Promise<UpdateReport | undefined> {
    const status = await this.client.workflow.getHandle(stackWorkflowId(this.plan)).query(stackStatusQuery);
    const report = status.update;
    if (report?.updateWorkflowId !== this.workflowId) return undefined;
    // Updates of a plan share a workflow ID, and the stack keeps its last report: it may be an earlier update's.
    const { runId } = this;
    return report.updateRunId === undefined || runId === undefined || report.updateRunId === runId ? report : undefined;
  }

  /**
   * The final report, whatever the outcome: a refused or rolled-back update fails its workflow (so a Schedule
   * counts it), and its report is that failure's details. Other failures (no stack, invalid plan) are thrown.
   */
  async report(): Promise<UpdateReport> {
    try {
      return await this.workflow.result();
    } catch (error) {
      const report = reportOf(error);
      if (report) return report;
      throw error;
    }
  }
}

/** The report a failed update carries, if it got as far as one. */
export function reportOf(error: unknown): UpdateReport | undefined {
  const cause = error instanceof WorkflowFailedError ? error.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const [details] = cause.details ?? [];
  return details && typeof details === 'object' && 'outcome' in details ? (details as UpdateReport) : undefined;
}

/** The plan a supervised stack runs now (what an update is diffed against). */
export function runningPlan(client: Client, planName: string): Promise<ResolvedPlan> {
  return client.workflow.getHandle(stackWorkflowId(planName)).query(runningPlanQuery);
}
