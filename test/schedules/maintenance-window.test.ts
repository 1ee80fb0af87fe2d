import { loadPlanText } from '../../src/plan/load-plan-text';
import { formatIssue } from '../../src/plan/plan-issue';
import type { MaintenanceWindow } from '../../src/plan/types';
import { updateWindowGate, windowDecision } from '../../src/schedules/maintenance-window';

const at = (iso: string) => Date.parse(iso);
// 2026-11-28 is a Saturday (6), 2026-11-29 a Sunday (0), 2026-11-30 a Monday (1).
const nightly: MaintenanceWindow = { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 2 * 60, durationMs: 2 * 3_600_000 };
const weekend: MaintenanceWindow = { days: [6, 0], startMinute: 23 * 60, durationMs: 3 * 3_600_000 };

const cases: [string, MaintenanceWindow[], string, ReturnType<typeof windowDecision>][] = [
  ['no windows: always open', [], '2026-11-30T12:00:00Z', { open: true }],
  [
    'inside a nightly window',
    [nightly],
    '2026-11-30T03:00:00Z',
    { open: true, closesAtMs: at('2026-11-30T04:00:00Z') },
  ],
  ['its start is inside', [nightly], '2026-11-30T02:00:00Z', { open: true, closesAtMs: at('2026-11-30T04:00:00Z') }],
  [
    'its end is outside: the next night',
    [nightly],
    '2026-11-30T04:00:00Z',
    { open: false, opensAtMs: at('2026-12-01T02:00:00Z'), waitMs: 22 * 3_600_000 },
  ],
  [
    'before it opens today',
    [nightly],
    '2026-11-30T01:30:00Z',
    { open: false, opensAtMs: at('2026-11-30T02:00:00Z'), waitMs: 30 * 60_000 },
  ],
  [
    'a window that crosses midnight is open after it (Saturday 23:00 + 3h, on Sunday 01:00)',
    [weekend],
    '2026-11-29T01:00:00Z',
    { open: true, closesAtMs: at('2026-11-29T02:00:00Z') },
  ],
  [
    'on a day without a window: the next weekend',
    [weekend],
    '2026-11-30T23:30:00Z',
    {
      open: false,
      opensAtMs: at('2026-12-05T23:00:00Z'),
      waitMs: at('2026-12-05T23:00:00Z') - at('2026-11-30T23:30:00Z'),
    },
  ],
  [
    'overlapping windows close at the later end',
    [weekend, nightly],
    '2026-11-29T01:00:00Z',
    { open: true, closesAtMs: at('2026-11-29T04:00:00Z') },
  ],
];

it.each(cases)('%s', (_, windows, now, expected) => {
  expect(windowDecision(windows, at(now))).toEqual(expected);
});

it('applies outsideWindow: wait until the next window, or skip', () => {
  const now = at('2026-11-30T12:00:00Z');
  expect(updateWindowGate({ windows: [nightly], outsideWindow: 'wait' }, now)).toEqual({
    action: 'wait',
    untilMs: at('2026-12-01T02:00:00Z'),
    waitMs: 14 * 3_600_000,
    reason: "outside the plan's update windows: waiting until 2026-12-01T02:00:00.000Z",
  });
  expect(updateWindowGate({ windows: [nightly], outsideWindow: 'skip' }, now)).toEqual({
    action: 'skip',
    reason: "outside the plan's update windows (next opens 2026-12-01T02:00:00.000Z); outsideWindow: skip",
  });
  expect(updateWindowGate(undefined, now)).toEqual({ action: 'proceed' });
  expect(updateWindowGate({ windows: [nightly], outsideWindow: 'skip' }, at('2026-11-30T02:30:00Z'))).toEqual({
    action: 'proceed',
    closesAtMs: at('2026-11-30T04:00:00Z'),
  });
});

describe('the plan file', () => {
  const load = (update: string) =>
    loadPlanText(`name: p\nupdate: ${update}\nservices:\n  a: { process: { command: [a] } }\n`, {
      file: 'plan.yaml',
      env: {},
    });

  it('resolves windows to UTC days and minutes', () => {
    const result = load(
      "{ windows: [{ days: [sat, sun], start: '23:00', duration: 3h }, { start: '02:30', duration: 30m }], outsideWindow: skip }",
    );
    if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
    expect(result.plan.update).toEqual({
      maintenance: {
        windows: [
          { days: [0, 6], startMinute: 23 * 60, durationMs: 3 * 3_600_000 },
          { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 150, durationMs: 30 * 60_000 },
        ],
        outsideWindow: 'skip',
      },
    });
  });

  it('a plan without update settings has none', () => {
    const result = loadPlanText('name: p\nservices:\n  a: { process: { command: [a] } }\n', {
      file: 'plan.yaml',
      env: {},
    });
    expect(result.ok && result.plan.update).toBeUndefined();
  });

  it.each([
    [
      "{ windows: [{ start: '2am', duration: 1h }] }",
      'plan.yaml: update.windows[0].start: "2am" must be HH:MM in UTC, e.g. "02:00"',
    ],
    [
      "{ windows: [{ start: '02:00', duration: 200h }] }",
      'plan.yaml: update.windows[0].duration: must be at most 7 days (168h)',
    ],
    [
      "{ windows: [{ days: [someday], start: '02:00', duration: 1h }] }",
      'plan.yaml: update.windows[0].days[0]: must be one of "sun", "mon", "tue", "wed", "thu", "fri", "sat", got "someday"',
    ],
    ['{ outsideWindow: later }', 'plan.yaml: update.outsideWindow: must be one of "wait", "skip", got "later"'],
  ])('%s is refused', (update, message) => {
    const result = load(update);
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([message]);
  });
});
