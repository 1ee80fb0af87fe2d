import type { Client } from '@temporalio/client';
import { startedServices } from '../../bench/history-events';

/** One activity of a workflow's history: which task queue it was scheduled on and which worker ran it. */
export interface ActivityRun {
  activityId: string;
  type: string;
  taskQueue: string;
  /** The identity of the worker whose attempt the history recorded (the last one), if it started. */
  identity?: string;
  /** The services a start activity starts: its own, or those of a batch (read from its input); none for others. */
  starts: string[];
}

/** Every activity a workflow scheduled, read from its history. */
export async function activityRuns(client: Client, workflowId: string): Promise<ActivityRun[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const runs = new Map<string, ActivityRun>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled)
      runs.set(String(event.eventId), {
        activityId: scheduled.activityId ?? '',
        type: scheduled.activityType?.name ?? '',
        taskQueue: scheduled.taskQueue?.name ?? '',
        starts: startedServices(scheduled),
      });
    const started = event.activityTaskStartedEventAttributes;
    if (started) runs.get(String(started.scheduledEventId))!.identity = started.identity ?? undefined;
  }
  return [...runs.values()];
}
