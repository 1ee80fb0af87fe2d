import type { WorkflowHandle } from '@temporalio/client';

export type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type Timestamp = { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;

/** Time a task waited in its task queue, from the events of a workflow history (ms). */
export interface QueueWaits {
  /** WorkflowTaskScheduled → WorkflowTaskStarted: how long the workflow code waited for a worker slot. */
  workflowTaskMs: number[];
  /** WorkflowTaskStarted → WorkflowTaskCompleted: the worker running the workflow code. */
  workflowRunMs: number[];
  /** ActivityTaskScheduled → ActivityTaskStarted: how long an activity waited for a worker to pick it up. */
  activityTaskMs: number[];
}

/** An event's time in ms since the epoch (NaN when absent). */
export const eventTimeMs = (t: Timestamp): number => {
  if (!t) return Number.NaN;
  const seconds = typeof t.seconds === 'number' ? t.seconds : (t.seconds?.toNumber() ?? 0);
  return seconds * 1000 + (t.nanos ?? 0) / 1e6;
};

// Event type numbers of temporal.api.enums.v1.EventType.
const workflowTaskStarted = 6;
const workflowTaskCompleted = 7;
const activityTaskStarted = 11;

/** Adds the queue waits found in `history` to `into`: where time goes between "ready" and "next started". */
export function addQueueWaits(history: History, into: QueueWaits): void {
  const timeOf = new Map<number, number>();
  for (const event of history.events ?? []) {
    const id = Number(event.eventId);
    const at = eventTimeMs(event.eventTime as Timestamp);
    timeOf.set(id, at);
    const type = Number(event.eventType);
    if (type === workflowTaskStarted) {
      const scheduled = timeOf.get(Number(event.workflowTaskStartedEventAttributes?.scheduledEventId));
      if (scheduled !== undefined) into.workflowTaskMs.push(at - scheduled);
    } else if (type === workflowTaskCompleted) {
      const started = timeOf.get(Number(event.workflowTaskCompletedEventAttributes?.startedEventId));
      if (started !== undefined) into.workflowRunMs.push(at - started);
    } else if (type === activityTaskStarted) {
      const scheduled = timeOf.get(Number(event.activityTaskStartedEventAttributes?.scheduledEventId));
      if (scheduled !== undefined) into.activityTaskMs.push(at - scheduled);
    }
  }
}
