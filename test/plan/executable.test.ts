import { loadPlanText } from '../../src/plan/load-plan-text';
import { formatIssue } from '../../src/plan/plan-issue';

function errorsOf(yaml: string): string[] {
  const result = loadPlanText(yaml, { file: 'plan.yaml', env: {} });
  return result.ok ? [] : result.errors.map(formatIssue);
}

describe('the executable of a command', () => {
  test('an empty or blank first element is an error; empty arguments after it are not', () => {
    expect(
      errorsOf(
        [
          'name: p',
          'services:',
          "  a: { process: { command: [''] } }",
          "  b: { process: { command: ['  ', x] } }",
          "  c: { process: { command: [sleep, ''] } }",
          "  d: { process: { command: [sleep, '1'] }, health: { check: { kind: exec, argv: [''] } } }",
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'plan.yaml: services.a.process.command: the executable (the first element) must not be empty',
      'plan.yaml: services.b.process.command: the executable (the first element) must not be empty',
      'plan.yaml: services.d.health.check.argv: the executable (the first element) must not be empty',
    ]);
  });
});
