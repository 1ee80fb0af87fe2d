import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { StartServicesInput } from '../../src/contract/activities';
import { startActivityId } from '../../src/contract/ids';

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

function startsOf(scheduled: temporal.api.history.v1.IActivityTaskScheduledEventAttributes): string[] {
  const type = scheduled.activityType?.name;
  if (type === 'startService') return [(scheduled.activityId ?? '').slice(startActivityId('').length)];
  const data = scheduled.input?.payloads?.[0]?.data;
  if (type !== 'startServices' || !data) return [];
  return (JSON.parse(Buffer.from(data).toString()) as StartServicesInput).starts.map((start) => start.service.name);
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
        starts: startsOf(scheduled),
      });
    const started = event.activityTaskStartedEventAttributes;
    if (started) runs.get(String(started.scheduledEventId))!.identity = started.identity ?? undefined;
  }
  return [...runs.values()];
}
