import { EventTypes, eventTimeMs, type History } from '../history-events';

/** The plain facts of one history event this analysis needs (a unit test can write them by hand). */
export interface TimelineEvent {
  workflowId: string;
  eventId: number;
  type: (typeof EventTypes)[keyof typeof EventTypes];
  atMs: number;
  identity?: string;
  scheduledEventId?: number;
  activityType?: string;
}

const known = new Set<number>(Object.values(EventTypes));

/** The events of one workflow's history that the recovery analysis reads. */
export function timelineEvents(workflowId: string, history: History): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const event of history.events ?? []) {
    const type = Number(event.eventType);
    if (!known.has(type)) continue;
    const attributes =
      event.workflowTaskStartedEventAttributes ??
      event.workflowTaskCompletedEventAttributes ??
      event.activityTaskStartedEventAttributes ??
      undefined;
    const scheduledEventId = (
      event.workflowTaskStartedEventAttributes ??
      event.activityTaskStartedEventAttributes ??
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes
    )?.scheduledEventId;
    events.push({
      workflowId,
      eventId: Number(event.eventId),
      type: type as TimelineEvent['type'],
      atMs: eventTimeMs(event.eventTime),
      identity: attributes && 'identity' in attributes ? (attributes.identity ?? undefined) : undefined,
      scheduledEventId: scheduledEventId == null ? undefined : Number(scheduledEventId),
      activityType: event.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined,
    });
  }
  return events;
}

/** What a kill -9 of the worker cost one boot, from its workflows' histories. */
export interface Recovery {
  /** What was in flight when the worker died: activity types and workflow tasks (`workflow task`). */
  inFlight: string[];
  /** The new worker's start (its "worker started" line) → its first workflow or activity task of this boot. */
  firstStepMs: number;
  /**
   * The longest any piece of work held by the dead worker waited once the new worker was polling: work waiting
   * when the new worker started (an activity scheduled or to be retried, a workflow task), counted from that
   * start; a workflow task that later timed out on the dead worker's sticky queue, from when it was scheduled.
   * Within this time of the new worker's start the boot no longer waits for the dead worker.
   */
  resumedMs: number;
  /** What waited longest (see `resumedMs`). */
  lastResumed: string;
}

/**
 * Reads a boot's recovery from the events of all its workflows: `killAtMs` when the old worker died,
 * `newStartMs` when the new worker (`newIdentity`) was polling.
 */
export function recoveryOf(
  events: TimelineEvent[],
  killAtMs: number,
  newStartMs: number,
  newIdentity: string,
): Recovery {
  const byWorkflow = new Map<string, TimelineEvent[]>();
  for (const event of events) byWorkflow.set(event.workflowId, [...(byWorkflow.get(event.workflowId) ?? []), event]);
  const inFlight: string[] = [];
  let firstStepAt = Number.POSITIVE_INFINITY;
  let held = 0;
  let lastResumed = 'nothing was waiting';
  const waited = (pendingSinceMs: number, pickedUpMs: number, what: string) => {
    const ms = pickedUpMs - Math.max(pendingSinceMs, newStartMs);
    if (ms > held) {
      held = ms;
      lastResumed = what;
    }
  };
  for (const [workflowId, list] of byWorkflow) {
    list.sort((a, b) => a.eventId - b.eventId);
    const byId = new Map(list.map((event) => [event.eventId, event]));
    const closedActivities = new Map<number, number>();
    let pendingWorkflowTaskSince: number | undefined;
    /** The pending workflow task timed out once: it was given to the dead worker (sticky queue or started). */
    let pendingTimedOut = false;
    let workflowTaskOpenAtKill = false;
    for (const event of list) {
      const mine = event.identity === newIdentity;
      if (mine && (event.type === EventTypes.workflowTaskStarted || event.type === EventTypes.activityTaskStarted))
        firstStepAt = Math.min(firstStepAt, event.atMs);
      switch (event.type) {
        case EventTypes.workflowTaskScheduled:
          pendingWorkflowTaskSince ??= event.atMs;
          break;
        case EventTypes.workflowTaskTimedOut:
          if (event.atMs > killAtMs) pendingTimedOut = true;
          break;
        case EventTypes.workflowTaskStarted:
          if (
            mine &&
            pendingWorkflowTaskSince !== undefined &&
            (pendingWorkflowTaskSince < newStartMs || pendingTimedOut)
          ) {
            waited(
              pendingWorkflowTaskSince,
              event.atMs,
              `workflow task of ${workflowId} (pending since ${Math.round(pendingWorkflowTaskSince - killAtMs)} ms after the kill)`,
            );
          }
          break;
        case EventTypes.workflowTaskCompleted:
          if (pendingWorkflowTaskSince !== undefined && pendingWorkflowTaskSince <= killAtMs && event.atMs > killAtMs)
            workflowTaskOpenAtKill = true;
          pendingWorkflowTaskSince = undefined;
          pendingTimedOut = false;
          break;
        case EventTypes.activityTaskStarted: {
          const scheduled = byId.get(event.scheduledEventId ?? -1);
          if (mine && scheduled && scheduled.atMs < newStartMs)
            waited(scheduled.atMs, event.atMs, `${scheduled.activityType ?? 'activity'} in ${workflowId}`);
          break;
        }
        case EventTypes.activityTaskCompleted:
        case EventTypes.activityTaskFailed:
        case EventTypes.activityTaskTimedOut:
          closedActivities.set(event.scheduledEventId ?? -1, event.atMs);
          break;
      }
    }
    if (workflowTaskOpenAtKill) inFlight.push('workflow task');
    for (const event of list) {
      if (event.type !== EventTypes.activityTaskScheduled || event.atMs > killAtMs) continue;
      const closedAt = closedActivities.get(event.eventId);
      if (closedAt === undefined || closedAt > killAtMs) inFlight.push(event.activityType ?? 'activity');
    }
  }
  return {
    inFlight: [...new Set(inFlight)].sort(),
    firstStepMs: firstStepAt - newStartMs,
    resumedMs: held,
    lastResumed,
  };
}
