import { optionsFromFlags, type UpdateFlags } from '../../src/cli/commands/update-run';
import type { UpdateOptions } from '../../src/contract/update';

describe('bootwave update flags', () => {
  it.each<[Partial<UpdateFlags>, UpdateOptions | string]>([
    [{}, {}],
    [
      { batchSize: '25%', observe: '60s', pause: '2s', failureThreshold: '10%', order: 'stop-first' },
      {
        batchSize: { percent: 25 },
        observeMs: 60_000,
        pauseMs: 2000,
        failureThresholdPercent: 10,
        order: 'stop-first',
      },
    ],
    [{ batchSize: '3' }, { batchSize: { count: 3 } }],
    [{ batchSize: 'all' }, '--batch-size all: expected a count such as 2 or a percent such as 25%'],
    [{ observe: 'a minute' }, '--observe a minute: expected a duration such as 30s, 2m or 500ms'],
    [{ failureThreshold: '150%' }, '--failure-threshold 150%: expected a percent from 0 to 100, e.g. 25%'],
    [{ order: 'blue-green' }, '--order blue-green: expected one of auto, start-first, stop-first'],
  ])('%j', (flags, expected) => {
    expect(optionsFromFlags({ worker: true, ...flags })).toEqual(expected);
  });
});
