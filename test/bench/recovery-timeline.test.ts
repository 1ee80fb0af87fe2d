import { EventTypes } from '../../bench/history-events';
import { recoveryOf, type TimelineEvent } from '../../bench/recovery/recovery-timeline';

const old = '100@host';
const fresh = '200@host';

/** Events of one workflow, numbered in order. */
function workflow(id: string, events: Omit<TimelineEvent, 'workflowId' | 'eventId'>[]): TimelineEvent[] {
  return events.map((event, i) => ({ ...event, workflowId: id, eventId: i + 1 }));
}

describe('recoveryOf', () => {
  it('names what was in flight at the kill and when the new worker picked up what waited for it', () => {
    // The kill at 1000 ms; the new worker polls from 2000 ms.
    const wave = workflow('boot/wave-0', [
      { type: EventTypes.workflowTaskScheduled, atMs: 0 },
      { type: EventTypes.workflowTaskStarted, atMs: 5, identity: old, scheduledEventId: 1 },
      { type: EventTypes.workflowTaskCompleted, atMs: 10, identity: old },
      { type: EventTypes.activityTaskScheduled, atMs: 10, activityType: 'startService' }, // 4
      { type: EventTypes.activityTaskScheduled, atMs: 10, activityType: 'awaitReady' }, // 5
      // The retried probe: the history keeps the last attempt's start only.
      { type: EventTypes.activityTaskStarted, atMs: 12_000, identity: fresh, scheduledEventId: 5 },
      { type: EventTypes.activityTaskStarted, atMs: 11, identity: old, scheduledEventId: 4 },
      { type: EventTypes.activityTaskCompleted, atMs: 20, scheduledEventId: 4 },
      { type: EventTypes.activityTaskCompleted, atMs: 12_100, scheduledEventId: 5 },
      // Its completion waited on the dead worker's sticky queue, then went to the new worker.
      { type: EventTypes.workflowTaskScheduled, atMs: 12_100 },
      { type: EventTypes.workflowTaskTimedOut, atMs: 22_100 },
      { type: EventTypes.workflowTaskScheduled, atMs: 22_100 },
      { type: EventTypes.workflowTaskStarted, atMs: 22_105, identity: fresh, scheduledEventId: 12 },
      { type: EventTypes.workflowTaskCompleted, atMs: 22_110, identity: fresh },
    ]);
    const boot = workflow('boot', [
      { type: EventTypes.workflowTaskScheduled, atMs: 900 },
      { type: EventTypes.workflowTaskStarted, atMs: 2500, identity: fresh, scheduledEventId: 1 },
      { type: EventTypes.workflowTaskCompleted, atMs: 2510, identity: fresh },
    ]);
    expect(recoveryOf([...wave, ...boot], 1000, 2000, fresh)).toEqual({
      inFlight: ['awaitReady', 'workflow task'],
      firstStepMs: 500,
      // Its wait on the dead sticky queue counts from when it was scheduled: 10 s; the probe's from 2000 ms.
      resumedMs: 10_005,
      lastResumed: 'workflow task of boot/wave-0 (pending since 11100 ms after the kill)',
    });
  });

  it('counts a workflow task that waited on the dead sticky queue from when it was first scheduled', () => {
    const events = workflow('boot', [
      { type: EventTypes.workflowTaskScheduled, atMs: 1500 },
      { type: EventTypes.workflowTaskTimedOut, atMs: 11_500 },
      { type: EventTypes.workflowTaskScheduled, atMs: 11_500 },
      { type: EventTypes.workflowTaskStarted, atMs: 11_510, identity: fresh, scheduledEventId: 3 },
      { type: EventTypes.workflowTaskCompleted, atMs: 11_520, identity: fresh },
    ]);
    expect(recoveryOf(events, 1000, 2000, fresh)).toMatchObject({
      inFlight: [],
      firstStepMs: 9510,
      resumedMs: 9510,
      lastResumed: 'workflow task of boot (pending since 500 ms after the kill)',
    });
  });
});
