import { EventTypes, eventTimeMs, type History } from './history-events';

/** Time a task waited in its task queue, from the events of a workflow history (ms). */
export interface QueueWaits {
  /** WorkflowTaskScheduled → WorkflowTaskStarted: how long the workflow code waited for a worker slot. */
  workflowTaskMs: number[];
  /** WorkflowTaskStarted → WorkflowTaskCompleted: the worker running the workflow code. */
  workflowRunMs: number[];
  /** ActivityTaskScheduled → ActivityTaskStarted: how long an activity waited for a worker to pick it up. */
  activityTaskMs: number[];
}

/** Adds the queue waits found in `history` to `into`: where time goes between "ready" and "next started". */
export function addQueueWaits(history: History, into: QueueWaits): void {
  const timeOf = new Map<number, number>();
  for (const event of history.events ?? []) {
    const id = Number(event.eventId);
    const at = eventTimeMs(event.eventTime);
    timeOf.set(id, at);
    const type = Number(event.eventType);
    if (type === EventTypes.workflowTaskStarted) {
      const scheduled = timeOf.get(Number(event.workflowTaskStartedEventAttributes?.scheduledEventId));
      if (scheduled !== undefined) into.workflowTaskMs.push(at - scheduled);
    } else if (type === EventTypes.workflowTaskCompleted) {
      const started = timeOf.get(Number(event.workflowTaskCompletedEventAttributes?.startedEventId));
      if (started !== undefined) into.workflowRunMs.push(at - started);
    } else if (type === EventTypes.activityTaskStarted) {
      const scheduled = timeOf.get(Number(event.activityTaskStartedEventAttributes?.scheduledEventId));
      if (scheduled !== undefined) into.activityTaskMs.push(at - scheduled);
    }
  }
}
