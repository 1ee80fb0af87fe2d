import { handOffPath } from '../../bench/hand-off-path';
import type { History } from '../../bench/history-events';

/** An event at `ms` after the epoch, as the client's history gives it. */
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/** One wave's history: the task that scheduled api's start, then its pickup; and a probe nobody waits for. */
const history = {
  events: [
    { eventId: 5, eventType: 5, eventTime: at(10_000) },
    { eventId: 6, eventType: 6, eventTime: at(10_010) },
    {
      eventId: 7,
      eventType: 7,
      eventTime: at(10_040),
      workflowTaskCompletedEventAttributes: { scheduledEventId: 5, startedEventId: 6 },
    },
    {
      eventId: 8,
      eventType: 10,
      eventTime: at(10_040),
      activityTaskScheduledEventAttributes: {
        activityId: 'start/api',
        activityType: { name: 'startService' },
        workflowTaskCompletedEventId: 7,
      },
    },
    {
      eventId: 9,
      eventType: 10,
      eventTime: at(10_040),
      activityTaskScheduledEventAttributes: {
        activityId: 'probe/api',
        activityType: { name: 'awaitReady' },
        workflowTaskCompletedEventId: 7,
      },
    },
    { eventId: 10, eventType: 11, eventTime: at(10_045), activityTaskStartedEventAttributes: { scheduledEventId: 8 } },
  ],
} as unknown as History;

describe('handOffPath', () => {
  it('splits a hand-off into the steps between the allowed start and the recorded one', () => {
    const path = handOffPath([history], new Map([['api', 9_990]]), (service) =>
      service === 'api' ? 10_060 : undefined,
    );
    expect(path).toEqual({
      toTaskMs: 10,
      taskWaitMs: 10,
      taskRunMs: 30,
      pickupMs: 5,
      driverStartMs: 15,
      samples: 1,
    });
  });

  it('counts each service of a batch of starts, read from the batch input', () => {
    const starts = { starts: ['db', 'cache', 'queue'].map((name) => ({ service: { name } })) };
    const batch = {
      events: history.events!.map((event) =>
        Number(event.eventId) === 8
          ? {
              ...event,
              activityTaskScheduledEventAttributes: {
                activityId: 'start-batch/db',
                activityType: { name: 'startServices' },
                workflowTaskCompletedEventId: 7,
                input: { payloads: [{ data: Buffer.from(JSON.stringify(starts)) }] },
              },
            }
          : event,
      ),
    } as unknown as History;
    const allowed = new Map([
      ['db', 9_990],
      ['cache', 10_000],
      ['queue', 9_980],
    ]);
    const startedAt = new Map([
      ['db', 10_060],
      ['cache', 10_070],
      ['queue', 10_080],
    ]);
    const path = handOffPath([batch], allowed, (service) => startedAt.get(service));
    // Each service is a sample: to the task 10 / 0 / 20 ms, its driver start 15 / 25 / 35 ms.
    expect(path).toEqual({ toTaskMs: 10, taskWaitMs: 10, taskRunMs: 30, pickupMs: 5, driverStartMs: 25, samples: 3 });
  });

  it('leaves out services that did not wait, and gives NaN when nothing waited', () => {
    const path = handOffPath([history], new Map(), () => 10_060);
    expect(path.samples).toBe(0);
    expect(path.taskRunMs).toBeNaN();
  });
});
