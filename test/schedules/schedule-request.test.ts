import { checkScheduleRequest, defaultCatchupWindowMs } from '../../src/schedules/schedule-request';

it.each([
  [
    { cron: '0 3 * * *' },
    { timing: { cron: '0 3 * * *', catchupWindowMs: defaultCatchupWindowMs, pauseOnFailure: true } },
  ],
  [
    { every: '1h', jitter: '5m', catchupWindow: '30m', pauseOnFailure: false, timezone: 'Europe/Berlin' },
    {
      timing: {
        everyMs: 3_600_000,
        jitterMs: 300_000,
        catchupWindowMs: 1_800_000,
        pauseOnFailure: false,
        timezone: 'Europe/Berlin',
      },
    },
  ],
  [{}, { problems: ['give --cron <expression> or --every <duration>'] }],
  [{ cron: '* * * * *', every: '1h' }, { problems: ['give --cron or --every, not both'] }],
  [{ cron: '  ' }, { problems: ['--cron is empty'] }],
  [
    { every: 'daily', jitter: '-1s', catchupWindow: '1s' },
    {
      problems: [
        '--every: invalid duration "daily": expected e.g. 30s, 10m, 1h, 1h30m',
        '--jitter: invalid duration "-1s": expected e.g. 30s, 10m, 1h, 1h30m',
        '--catchup-window must be at least 10s, got "1s"',
      ],
    },
  ],
])('%j', (request, expected) => {
  expect(checkScheduleRequest(request)).toEqual(expected);
});
