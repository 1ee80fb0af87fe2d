import type { WorkflowHandle } from '@temporalio/client';
import type { StartServicesInput } from '../src/contract/activities';
import { startActivityId } from '../src/contract/ids';

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

type ScheduledAttributes = NonNullable<History['events']>[number]['activityTaskScheduledEventAttributes'];

/**
 * The services a scheduled activity starts: a `startService`'s one (from its ID), a `startServices` batch's (from
 * its input, which the benches and tests read without a codec); none for any other activity.
 */
export function startedServices(scheduled: ScheduledAttributes): string[] {
  const type = scheduled?.activityType?.name;
  if (type === 'startService') return [(scheduled?.activityId ?? '').slice(startActivityId('').length)];
  const data = scheduled?.input?.payloads?.[0]?.data;
  if (type !== 'startServices' || !data) return [];
  return (JSON.parse(Buffer.from(data).toString()) as StartServicesInput).starts.map((start) => start.service.name);
}
