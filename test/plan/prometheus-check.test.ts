import { loadPlanText } from '../../src/plan/load-plan-text';
import { formatIssue } from '../../src/plan/plan-issue';

function load(check: string, env: Record<string, string> = {}) {
  return loadPlanText(
    `name: p\nservices:\n  a: { process: { command: [node, svc.js] }, health: { check: ${check} } }\n`,
    { file: 'plan.yaml', env },
  );
}

it('a prometheus check resolves as written; a threshold may come from the environment', () => {
  const result = load(
    "{ kind: prometheus, url: 'http://127.0.0.1:19090', query: 'sum(rate(errors_total[1m]))', below: '${MAX:-0.05}' }",
    { MAX: '0.1' },
  );
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  expect(result.plan.services[0]!.health!.probe).toEqual({
    kind: 'prometheus',
    url: 'http://127.0.0.1:19090',
    query: 'sum(rate(errors_total[1m]))',
    below: 0.1,
  });
});

it.each([
  [
    '{ kind: prometheus, url: "http://x", query: up }',
    'needs one comparison: below, above or equals (e.g. below: 0.05)',
  ],
  [
    '{ kind: prometheus, url: "http://x", query: up, below: 1, above: 0 }',
    'needs exactly one comparison, got below and above',
  ],
  [
    '{ kind: prometheus, url: "x:9090", query: up, below: 1 }',
    'must be an http:// or https:// URL (the Prometheus server)',
  ],
  ['{ kind: prometheus, url: "http://x", query: up, below: low }', 'must be a number, got "low"'],
])('%s is refused with its reason', (check, message) => {
  const result = load(check);
  expect(result.ok).toBe(false);
  expect(result.ok ? [] : result.errors.map(formatIssue).join('\n')).toContain(message);
});
