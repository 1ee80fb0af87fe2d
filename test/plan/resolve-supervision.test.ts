import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../src/plan/load-plan';
import { defaultSupervision } from '../../src/plan/defaults';

describe('supervision fields in a plan', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bootwave-supervision-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const load = (text: string) => {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, text);
    return loadPlan(file, { env: {} });
  };

  test('the service over the plan defaults over bootwave defaults; none set leaves the field out', () => {
    const result = load(
      [
        'name: demo',
        'defaults: { restart: always, startLimitBurst: 3, restartBackoff: { initial: 200ms } }',
        'services:',
        '  db: { process: { command: [db] } }',
        '  api:',
        '    process: { command: [api] }',
        '    restart: on-failure',
        '    restartBackoff: { max: 5s, factor: 3 }',
        '    startLimitInterval: 30s',
        '    onDependencyFailure: stop',
        '    breaker: { failureThreshold: 2, openFor: 10s }',
      ].join('\n'),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [db, api] = result.plan.services;
    expect(db!.supervision).toEqual({
      ...defaultSupervision,
      restart: 'always',
      startLimitBurst: 3,
      backoff: { ...defaultSupervision.backoff, initialMs: 200 },
    });
    expect(api!.supervision).toEqual({
      restart: 'on-failure',
      backoff: { initialMs: 200, maxMs: 5000, factor: 3 },
      startLimitBurst: 3,
      startLimitIntervalMs: 30_000,
      onDependencyFailure: 'stop',
      breaker: { ...defaultSupervision.breaker, failureThreshold: 2, openMs: 10_000 },
    });
    const plain = load('name: demo\nservices:\n  db: { process: { command: [db] } }\n');
    expect(plain.ok && plain.plan.services[0]!.supervision).toBeUndefined();
  });

  test('rejects an unknown restart policy', () => {
    const result = load('name: demo\nservices:\n  db: { process: { command: [db] }, restart: sometimes }\n');
    expect(result.ok).toBe(false);
  });
});

describe('lazy services in a plan', () => {
  test('lazy: true and lazy with a group, maxActive and idleTimeout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootwave-lazy-'));
    try {
      const file = join(dir, 'plan.yaml');
      writeFileSync(
        file,
        [
          'name: demo',
          'services:',
          '  a: { process: { command: [a] }, lazy: true }',
          '  b: { process: { command: [b] }, lazy: { group: models, maxActive: 2, idleTimeout: 5m } }',
        ].join('\n'),
      );
      const result = loadPlan(file, { env: {} });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.plan.services.map((s) => s.supervision?.lazy)).toEqual([
        { group: 'default', idleTimeoutMs: 1_800_000 },
        { group: 'models', maxActive: 2, idleTimeoutMs: 300_000 },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
