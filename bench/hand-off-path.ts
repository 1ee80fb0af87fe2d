import { median } from './boot-metrics';
import { EventTypes, eventTimeMs, startedServices, type History } from './history-events';

/**
 * Where a hand-off's time goes, step by step (medians, ms), read from the waves' histories and the boot's result:
 * from the moment the strategy allowed a start to the service's recorded start.
 */
export interface HandOffPath {
  /** allowed → the workflow task that scheduled the start was scheduled (a signal or a result reaching the wave). */
  toTaskMs: number;
  /** WorkflowTaskScheduled → Started: the task waiting for the worker. */
  taskWaitMs: number;
  /** WorkflowTaskStarted → Completed: the worker running it (and any activation queued before it). */
  taskRunMs: number;
  /** WorkflowTaskCompleted → the start activity picked up (eager dispatch: the completion's round trip). */
  pickupMs: number;
  /** Start activity picked up → the service's recorded start: the driver's start. */
  driverStartMs: number;
  samples: number;
}

/** `waveHistories`: each wave child's history; `allowedAtMs`: per service that waited, when it was allowed. */
export function handOffPath(
  waveHistories: History[],
  allowedAtMs: Map<string, number>,
  startedAtMs: (service: string) => number | undefined,
): HandOffPath {
  const steps = { toTaskMs: [] as number[], taskWaitMs: [] as number[], taskRunMs: [] as number[] };
  const pickup: number[] = [];
  const driverStart: number[] = [];
  for (const history of waveHistories) {
    const byId = new Map((history.events ?? []).map((event) => [Number(event.eventId), event]));
    const timeOf = (id: unknown) => {
      const event = byId.get(Number(id));
      return event === undefined ? Number.NaN : eventTimeMs(event.eventTime);
    };
    const pickedUpAt = new Map<number, number>();
    for (const event of history.events ?? [])
      if (Number(event.eventType) === EventTypes.activityTaskStarted)
        pickedUpAt.set(
          Number(event.activityTaskStartedEventAttributes?.scheduledEventId),
          eventTimeMs(event.eventTime),
        );
    for (const event of history.events ?? []) {
      if (Number(event.eventType) !== EventTypes.activityTaskScheduled) continue;
      const attributes = event.activityTaskScheduledEventAttributes;
      const started = startedServices(attributes).filter((service) => allowedAtMs.has(service));
      if (started.length === 0) continue;
      const completed = byId.get(Number(attributes?.workflowTaskCompletedEventId));
      const task = completed?.workflowTaskCompletedEventAttributes;
      const [scheduledAt, taskStartedAt, completedAt] = [
        timeOf(task?.scheduledEventId),
        timeOf(task?.startedEventId),
        eventTimeMs(completed?.eventTime),
      ];
      const pickedUp = pickedUpAt.get(Number(event.eventId));
      for (const service of started) {
        steps.toTaskMs.push(scheduledAt - allowedAtMs.get(service)!);
        steps.taskWaitMs.push(taskStartedAt - scheduledAt);
        steps.taskRunMs.push(completedAt - taskStartedAt);
        const startedAt = startedAtMs(service);
        if (pickedUp === undefined || startedAt === undefined) continue;
        pickup.push(pickedUp - completedAt);
        driverStart.push(startedAt - pickedUp);
      }
    }
  }
  return {
    toTaskMs: median(steps.toTaskMs),
    taskWaitMs: median(steps.taskWaitMs),
    taskRunMs: median(steps.taskRunMs),
    pickupMs: median(pickup),
    driverStartMs: median(driverStart),
    samples: steps.toTaskMs.length,
  };
}
