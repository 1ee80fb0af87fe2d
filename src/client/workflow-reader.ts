/**
 * What reading a boot's or a stack's status asks of Temporal: a workflow's description, how it ended, a query,
 * and whether a worker polls a task queue. Two implement it: the SDK's client (`sdk-workflow-reader.ts`), and a
 * small gRPC client of its own that loads no SDK, for `bootwave status` (`grpc-workflow-reader.ts`).
 * For an unknown workflow both throw an error named `WorkflowNotFoundError` (`isWorkflowNotFound`): the SDK's, or
 * the gRPC reader's own, which loads no SDK.
 */
export interface WorkflowReader {
  describe(workflowId: string, runId?: string): Promise<WorkflowDescription>;
  /** How a closed workflow ended, following its continued runs. */
  outcome(workflowId: string, runId?: string): Promise<WorkflowOutcome>;
  /** A query's answer; a query no worker answers within `withinMs` fails. */
  query(workflowId: string, runId: string | undefined, name: string, withinMs?: number): Promise<unknown>;
  /** When a worker last polled this workflow task queue, if the server saw one in its recent memory. */
  lastPolledAt(taskQueue: string): Promise<Date | undefined>;
}

/** Where a workflow's execution stands, from Temporal's execution status. */
export type ExecutionState =
  'running' | 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed-out' | 'continued-as-new';

export interface WorkflowDescription {
  runId: string;
  execution: ExecutionState;
  closeTime?: Date;
  taskQueue: string;
  /** Decoded (and decrypted) memo fields. */
  memo: Record<string, unknown>;
  /** The pending activities, with the first detail of each one's last heartbeat, decoded. */
  pendingActivities: { activityId: string; heartbeat?: unknown }[];
}

/** A completed workflow's result, or why it closed otherwise ("terminated: operator stopped it" → the reason). */
export type WorkflowOutcome = { completed: true; result: unknown } | { completed: false; why: string };

/** The gRPC reader's unknown workflow, named as the SDK's error is. */
export class UnknownWorkflowError extends Error {
  override name = 'WorkflowNotFoundError';
}

/** True for the SDK's `WorkflowNotFoundError` and the gRPC reader's, tested without loading the SDK. */
export function isWorkflowNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'WorkflowNotFoundError';
}
