import { loadPlanText } from '../../src/plan/load-plan-text';
import { formatIssue } from '../../src/plan/plan-issue';
import type { UpdatePolicy } from '../../src/plan/types';

const plan = (update: string) => `name: p\nupdate: ${update}\nservices:\n  a: { process: { command: [node, a.js] } }\n`;

describe("the plan's update: section", () => {
  it.each<[string, UpdatePolicy]>([
    [
      '{ batchSize: 2, observe: 60s, pause: 5s, failureThreshold: 25%, order: start-first }',
      {
        batchSize: { count: 2 },
        observeMs: 60_000,
        pauseMs: 5000,
        failureThresholdPercent: 25,
        order: 'start-first',
      },
    ],
    ['{ batchSize: "50%" }', { batchSize: { percent: 50 } }],
    ['{}', {}],
  ])('%s resolves', (section, expected) => {
    const result = loadPlanText(plan(section), { file: 'plan.yaml', env: {} });
    expect(result.ok && result.plan.update).toEqual(expected);
  });

  it.each<[string, string[]]>([
    [
      '{ batchSize: 0 }',
      ['plan.yaml: update.batchSize: invalid batch size 0: expected a count such as 2 or a percent such as 25%'],
    ],
    [
      '{ batchSize: "150%" }',
      ['plan.yaml: update.batchSize: invalid batch size "150%": expected a count such as 2 or a percent such as 25%'],
    ],
    [
      '{ observe: soon }',
      [
        'plan.yaml: update.observe: invalid duration "soon": expected e.g. 250ms, 10s, 2m, 1m30s or milliseconds as a number',
      ],
    ],
    [
      '{ failureThreshold: 120% }',
      [
        'plan.yaml: update.failureThreshold: invalid failure threshold "120%": expected a percent from 0 to 100, e.g. 25%',
      ],
    ],
    [
      '{ order: rolling }',
      ['plan.yaml: update.order: must be one of "auto", "start-first", "stop-first", got "rolling"'],
    ],
  ])('%s is an error naming the file and path', (section, errors) => {
    const result = loadPlanText(plan(section), { file: 'plan.yaml', env: {} });
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual(errors);
  });
});
