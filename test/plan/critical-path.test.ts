import { criticalPath } from '../../src/plan/critical-path';
import { loadPlanDocument } from '../../src/plan/load-plan-document';
import type { ResolvedPlan } from '../../src/plan/types';

function plan(services: Record<string, { deps?: string[]; ms: number }>): ResolvedPlan {
  const doc = {
    name: 'cp',
    services: Object.fromEntries(
      Object.entries(services).map(([name, s]) => [
        name,
        { process: { command: ['x'] }, dependsOn: s.deps ?? [], expectedStart: s.ms },
      ]),
    ),
  };
  const result = loadPlanDocument(doc, { file: 'plan.yaml' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

describe('criticalPath', () => {
  test('is the longest chain of expected start durations along dependencies', () => {
    const p = plan({
      db: { ms: 5000 },
      cache: { ms: 1000 },
      migrate: { deps: ['db'], ms: 3000 },
      api: { deps: ['cache', 'migrate'], ms: 2000 },
      ui: { deps: ['api'], ms: 500 },
      docs: { ms: 9000 },
    });
    expect(criticalPath(p)).toEqual({ lengthMs: 10_500, path: ['db', 'migrate', 'api', 'ui'] });
  });
  test('a lone slow service can be the whole path', () => {
    expect(criticalPath(plan({ a: { ms: 100 }, b: { deps: ['a'], ms: 100 }, c: { ms: 500 } }))).toEqual({
      lengthMs: 500,
      path: ['c'],
    });
  });
  test('takes another weight, e.g. measured start times', () => {
    const p = plan({ a: { ms: 100 }, b: { deps: ['a'], ms: 100 }, c: { ms: 500 } });
    expect(criticalPath(p, (name) => ({ a: 400, b: 400, c: 100 })[name] ?? 0)).toEqual({
      lengthMs: 800,
      path: ['a', 'b'],
    });
  });
  test('a zero-length dependency stays on the path', () => {
    expect(criticalPath(plan({ a: { ms: 0 }, b: { deps: ['a'], ms: 100 } }))).toEqual({
      lengthMs: 100,
      path: ['a', 'b'],
    });
  });
});
