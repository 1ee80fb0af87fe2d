import { endedWithoutResult, executionStatusText } from '../../src/cli/execution-status-text';

describe('executionStatusText', () => {
  test.each([
    ['RUNNING', 'running', false],
    ['COMPLETED', 'completed', false],
    ['TERMINATED', 'terminated', true],
    ['TIMED_OUT', 'timed out', true],
    ['FAILED', 'failed', true],
    ['CANCELLED', 'cancelled', true],
    ['CONTINUED_AS_NEW', 'continued as new', false],
    ['SOMETHING_NEW', 'something new', false],
  ])('%s → %s (ended without a result: %s)', (name, text, ended) => {
    expect(executionStatusText(name)).toBe(text);
    expect(endedWithoutResult(name)).toBe(ended);
  });
});
