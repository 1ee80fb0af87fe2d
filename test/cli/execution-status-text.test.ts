import { executionStatusText } from '../../src/cli/execution-status-text';

describe('executionStatusText', () => {
  test.each([
    ['RUNNING', 'running'],
    ['COMPLETED', 'completed'],
    ['TERMINATED', 'terminated'],
    ['TIMED_OUT', 'timed out'],
    ['FAILED', 'failed'],
    ['CANCELLED', 'cancelled'],
    ['CONTINUED_AS_NEW', 'continued as new'],
    ['SOMETHING_NEW', 'something new'],
  ])('%s → %s', (name, text) => {
    expect(executionStatusText(name)).toBe(text);
  });
});
