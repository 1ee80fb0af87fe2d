import { formatDuration, parseDuration } from '../../src/plan/duration';

describe('parseDuration', () => {
  test.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['1.5s', 1500],
    ['0s', 0],
    [1500, 1500],
  ] as const)('%p is %p ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  test.each(['', '10', '10 s', 's', '-1s', '1d', 'soon', '1s 2m', -5, 1.5])('%p is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [250, '250ms'],
    [90_000, '1m30s'],
    [3_723_004, '1h2m3s4ms'],
  ])('%p ms is %p', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
    expect(parseDuration(expected)).toBe(ms);
  });
});
