import type { WorkflowHandle } from '@temporalio/client';

/** A workflow's history as the client fetches it. */
export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type Timestamp = { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;

/** Event type numbers of temporal.api.enums.v1.EventType that the benches read. */
export const EventTypes = {
  workflowTaskScheduled: 5,
  workflowTaskStarted: 6,
  workflowTaskCompleted: 7,
  workflowTaskTimedOut: 8,
  workflowTaskFailed: 9,
  activityTaskScheduled: 10,
  activityTaskStarted: 11,
  activityTaskCompleted: 12,
  activityTaskFailed: 13,
  activityTaskTimedOut: 14,
} as const;

/** An event's time in ms since the epoch (NaN when absent). */
export const eventTimeMs = (t: Timestamp): number => {
  if (!t) return Number.NaN;
  const seconds = typeof t.seconds === 'number' ? t.seconds : (t.seconds?.toNumber() ?? 0);
  return seconds * 1000 + (t.nanos ?? 0) / 1e6;
};
