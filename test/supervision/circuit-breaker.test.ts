import {
  breakerFailure,
  breakerHalfOpensAtMs,
  breakerSuccess,
  breakerTick,
  closedBreaker,
} from '../../src/supervision/circuit-breaker';
import type { Breaker } from '../../src/contract/supervision';

const spec = { failureThreshold: 3, windowMs: 10_000, openMs: 5000 };

describe('circuit breaker', () => {
  it.each<[string, Breaker, number, Breaker]>([
    ['closed counts a failure', closedBreaker, 1000, { state: 'closed', failuresMs: [1000] }],
    [
      'closed opens at the threshold',
      { state: 'closed', failuresMs: [1000, 2000] },
      3000,
      { state: 'open', failuresMs: [1000, 2000, 3000], openedAtMs: 3000 },
    ],
    [
      'failures outside the window are forgotten',
      { state: 'closed', failuresMs: [1000, 2000] },
      12_500,
      { state: 'closed', failuresMs: [12_500] },
    ],
    [
      'a failed half-open trial opens it again',
      { state: 'half-open', failuresMs: [1, 2, 3], openedAtMs: 3 },
      9000,
      { state: 'open', failuresMs: [1, 2, 3], openedAtMs: 9000 },
    ],
  ])('failure: %s', (_name, before, now, after) => {
    expect(breakerFailure(before, spec, now)).toEqual(after);
  });

  it('half-opens after openMs, not before, and closes on a success', () => {
    const open: Breaker = { state: 'open', failuresMs: [1, 2, 3], openedAtMs: 3000 };
    expect(breakerHalfOpensAtMs(open, spec)).toBe(8000);
    expect(breakerTick(open, spec, 7999)).toBe(open);
    const halfOpen = breakerTick(open, spec, 8000);
    expect(halfOpen.state).toBe('half-open');
    expect(breakerSuccess(halfOpen)).toEqual(closedBreaker);
    expect(breakerSuccess(open)).toBe(open);
    expect(breakerHalfOpensAtMs(closedBreaker, spec)).toBeUndefined();
  });
});
