import {
  runsOutsideWindows,
  scheduleDescribeLines,
  scheduleListLines,
  windowsText,
} from '../../src/schedules/schedule-text';
import type { UpdateScheduleDetails } from '../../src/schedules/update-schedules';
import type { UpdateWindowSettings } from '../../src/plan/types';

const weekendNights: UpdateWindowSettings = {
  windows: [
    { days: [0, 6], startMinute: 23 * 60, durationMs: 3 * 3_600_000 },
    { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 150, durationMs: 30 * 60_000 },
  ],
  outsideWindow: 'wait',
};

it('shows windows as the plan means them', () => {
  expect(windowsText(weekendNights)).toBe('sun,sat 23:00 UTC for 3h; 02:30 UTC for 30m · outside them: wait');
});

it('warns about scheduled runs outside the windows', () => {
  const runs = [new Date('2026-11-30T02:40:00Z'), new Date('2026-11-30T03:00:00Z')];
  expect(runsOutsideWindows(weekendNights, runs)).toEqual([
    "warning: the run at 2026-11-30T03:00:00.000Z is outside the plan's update windows (sun,sat 23:00 UTC for 3h; 02:30 UTC for 30m · outside them: wait): that update will wait for the next window",
  ]);
  expect(runsOutsideWindows(undefined, runs)).toEqual([]);
});

it('lists schedules in aligned columns', () => {
  expect(scheduleListLines([])).toEqual(['no update schedules on this server']);
  expect(
    scheduleListLines([
      {
        id: 'bootwave-update-demo',
        plan: 'demo',
        when: 'cron 0 3 * * *',
        paused: false,
        nextRun: new Date('2026-11-30T03:00:00Z'),
      },
      {
        id: 'bootwave-update-shop',
        plan: 'shop',
        when: 'every 1h',
        paused: true,
        lastRun: new Date('2026-11-29T09:00:00Z'),
      },
    ]),
  ).toEqual([
    'bootwave-update-demo  demo  cron 0 3 * * *  active  next 2026-11-30T03:00:00.000Z  last —',
    'bootwave-update-shop  shop  every 1h        paused  next — (paused)                last 2026-11-29T09:00:00.000Z',
  ]);
});

it('describes what the schedule runs: the plan snapshot, and how to change it', () => {
  const details: UpdateScheduleDetails = {
    id: 'bootwave-update-demo',
    plan: 'demo',
    when: 'cron 0 3 * * *',
    paused: false,
    snapshot: {
      plan: 'demo',
      source: '/plans/demo.yaml',
      services: 3,
      hash: 'abcdef012345',
      takenAt: '2026-11-29T09:00:00.000Z',
      update: weekendNights,
    },
    taskQueue: 'bootwave',
    workflowId: 'bootwave-update-demo',
    workflowType: 'updateWorkflow',
    jitterMs: 300_000,
    catchupWindowMs: 600_000,
    pauseOnFailure: true,
    overlap: 'SKIP',
    nextRuns: [new Date('2026-11-30T03:00:00Z')],
    recent: [
      {
        scheduledAt: new Date('2026-11-29T03:00:00Z'),
        takenAt: new Date('2026-11-29T03:00:01Z'),
        workflowId: 'bootwave-update-demo-2026-11-29T03:00:00Z',
      },
    ],
    running: ['bootwave-update-demo-2026-11-29T03:00:00Z'],
    actionsTaken: 1,
    skippedOverlap: 2,
    missedCatchupWindow: 0,
  };
  expect(scheduleDescribeLines(details)).toEqual([
    'schedule bootwave-update-demo · active',
    '  runs: updateWorkflow of plan demo (3 services) as resolved from /plans/demo.yaml at 2026-11-29T09:00:00.000Z (snapshot abcdef012345)',
    '        edits to that file do not reach this schedule: `bootwave schedule update bootwave-update-demo <plan>` replaces the snapshot',
    '  on: task queue bootwave, workflow IDs bootwave-update-demo-<scheduled time>',
    '  when: cron 0 3 * * * · jitter 5m',
    '  policies: overlap skip · catch-up window 10m · pauses after a failed update',
    '  windows: sun,sat 23:00 UTC for 3h; 02:30 UTC for 30m · outside them: wait',
    '  next: 2026-11-30T03:00:00.000Z',
    '  taken: 1 · skipped while an update ran: 2 · missed (catch-up window): 0',
    '  2026-11-29T03:00:01.000Z  bootwave-update-demo-2026-11-29T03:00:00Z  running',
  ]);
});
