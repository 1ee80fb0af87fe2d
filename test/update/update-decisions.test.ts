import type { ResolvedPlan, ServiceSpec, UpdateOrder } from '../../src/plan/types';
import { batchVerdict, type BatchVerdict, type ServiceOutcome } from '../../src/update/batch-verdict';
import { definitionHash } from '../../src/update/definition-hash';
import { stableJson } from '../../src/stable-json';
import { diffPlans, type ChangeKind } from '../../src/update/plan-diff';
import { updateBatches } from '../../src/update/update-batches';
import { rolloutMethod, type RolloutMethod } from '../../src/update/update-order';
import { batchCount, defaultUpdateSettings, updateSettings } from '../../src/update/update-settings';
import { parseBatchSize } from '../../src/plan/update-schema';

/** A process service listening on `port`, checked over HTTP there. */
function service(name: string, patch: Partial<ServiceSpec> & { port?: number; deps?: string[] } = {}): ServiceSpec {
  const { port = 8000, deps = [], ...rest } = patch;
  return {
    name,
    wave: 'all',
    target: { driver: 'process', command: ['node', 'svc.js', '--port', String(port)], env: {}, stopGraceMs: 1000 },
    dependsOn: deps.map((d) => ({ service: d, kind: 'requires', condition: 'healthy' })),
    critical: true,
    oneShot: false,
    health: {
      probe: { kind: 'http', url: `http://127.0.0.1:${port}/health`, expectStatus: [] },
      timing: {
        intervalMs: 200,
        timeoutMs: 1000,
        retries: 3,
        successThreshold: 1,
        startPeriodMs: 0,
        startIntervalMs: 50,
      },
      preChecks: [],
    },
    startTimeoutMs: 30_000,
    expectedStartMs: 100,
    profiles: [],
    ...rest,
  };
}

function plan(services: ServiceSpec[], waves = ['all']): ResolvedPlan {
  return {
    name: 'p',
    source: '/p.yaml',
    waves: waves.map((name, index) => ({
      name,
      index,
      services: services.filter((s) => s.wave === name).map((s) => s.name),
    })),
    services,
  };
}

const withCommand = (s: ServiceSpec, ...extra: string[]): ServiceSpec =>
  s.target.driver === 'process' ? { ...s, target: { ...s.target, command: [...s.target.command, ...extra] } } : s;

describe('definitionHash', () => {
  const base = service('api');
  it.each<[string, ServiceSpec, boolean]>([
    ['the same spec', { ...base }, true],
    ['keys in another order', JSON.parse(stableJson(base)) as ServiceSpec, true],
    ['another argv', withCommand(base, '--verbose'), false],
    ['another env', { ...base, target: { ...base.target, env: { LOG: 'debug' } } as ServiceSpec['target'] }, false],
    [
      'another check',
      { ...base, health: { ...base.health!, probe: { kind: 'tcp', host: '127.0.0.1', port: 8000 } } },
      false,
    ],
    ['another start timeout', { ...base, startTimeoutMs: 60_000 }, false],
    ['only critical changed (not how it runs)', { ...base, critical: false }, true],
    [
      'only its dependencies changed',
      { ...base, dependsOn: [{ service: 'db', kind: 'wants', condition: 'started' }] },
      true,
    ],
    ['only its wave changed', { ...base, wave: 'other' }, true],
    ['only its expected start changed', { ...base, expectedStartMs: 5000 }, true],
  ])('%s → equal: %s', (_, other, equal) => {
    expect(definitionHash(other) === definitionHash(base)).toBe(equal);
    expect(definitionHash(other)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('diffPlans', () => {
  const db = service('db', { port: 1 });
  const api = service('api', { port: 2, deps: ['db'] });
  const web = service('web', { port: 3, deps: ['api'] });
  it.each<[string, ServiceSpec[], ServiceSpec[], [string, ChangeKind][]]>([
    [
      'nothing changed',
      [db, api],
      [db, api],
      [
        ['db', 'unchanged'],
        ['api', 'unchanged'],
      ],
    ],
    [
      'one argv changed',
      [db, api],
      [db, withCommand(api, '-v')],
      [
        ['db', 'unchanged'],
        ['api', 'changed'],
      ],
    ],
    [
      'one added, one removed',
      [db, api],
      [db, web],
      [
        ['db', 'unchanged'],
        ['web', 'added'],
        ['api', 'removed'],
      ],
    ],
  ])('%s', (_, before, after, expected) => {
    expect(diffPlans(plan(before), plan(after)).map((c) => [c.service, c.kind])).toEqual(expected);
  });
});

describe('updateBatches', () => {
  const db = service('db', { port: 1, wave: 'data' });
  const cache = service('cache', { port: 2, wave: 'data' });
  const queue = service('queue', { port: 3, wave: 'data' });
  const api = service('api', { port: 4, wave: 'app', deps: ['db'] });
  const web = service('web', { port: 5, wave: 'app', deps: ['api'] });
  const old = plan([db, cache, queue, api, web], ['data', 'app']);
  const changedAll = plan(
    [db, cache, queue, api, web].map((s) => withCommand(s, '-v')),
    ['data', 'app'],
  );
  it.each<[string, ResolvedPlan, ResolvedPlan, string | number, [string, string, string[]][]]>([
    [
      'one at a time, wave by wave, dependencies first',
      old,
      changedAll,
      1,
      [
        ['data', 'roll', ['db']],
        ['data', 'roll', ['cache']],
        ['data', 'roll', ['queue']],
        ['app', 'roll', ['api']],
        ['app', 'roll', ['web']],
      ],
    ],
    [
      'two per batch; a dependent never shares a batch with its dependency',
      old,
      changedAll,
      2,
      [
        ['data', 'roll', ['db', 'cache']],
        ['data', 'roll', ['queue']],
        ['app', 'roll', ['api']],
        ['app', 'roll', ['web']],
      ],
    ],
    [
      '50% of each wave, rounded up',
      old,
      changedAll,
      '50%',
      [
        ['data', 'roll', ['db', 'cache']],
        ['data', 'roll', ['queue']],
        ['app', 'roll', ['api']],
        ['app', 'roll', ['web']],
      ],
    ],
    [
      'unchanged services are left out',
      old,
      plan([db, withCommand(cache, '-v'), queue, api, withCommand(web, '-v')], ['data', 'app']),
      5,
      [
        ['data', 'roll', ['cache']],
        ['app', 'roll', ['web']],
      ],
    ],
    [
      'removals last, dependents first',
      old,
      plan([db, cache], ['data', 'app']),
      5,
      [
        ['app', 'remove', ['web', 'api']],
        ['data', 'remove', ['queue']],
      ],
    ],
  ])('%s', (_, before, after, size, expected) => {
    const batches = updateBatches(diffPlans(before, after), before, after, { batchSize: parseBatchSize(size)! });
    expect(batches.map((b) => [b.wave, b.action, b.services])).toEqual(expected);
    expect(batches.map((b) => b.index)).toEqual(expected.map((_, i) => i));
  });
});

describe('rolloutMethod', () => {
  const old = service('api', { port: 8000 });
  it.each<[string, ServiceSpec, UpdateOrder, RolloutMethod, RegExp]>([
    ['new ports: start-first', service('api', { port: 8001 }), 'auto', 'start-first', /ports differ \(8000 → 8001\)/],
    ['same port: stop-first', withCommand(old, '-v'), 'auto', 'stop-first', /port 8000 as the old one/],
    ['stop-first asked for', service('api', { port: 8001 }), 'stop-first', 'stop-first', /order is stop-first/],
    ['start-first asked for but the port is shared', withCommand(old, '-v'), 'start-first', 'stop-first', /port 8000/],
    [
      'no check: ports unknown',
      { ...withCommand(old, '-v'), health: undefined },
      'auto',
      'stop-first',
      /ports are unknown/,
    ],
    ['a one-shot', { ...service('api', { port: 8001 }), oneShot: true }, 'auto', 'stop-first', /one-shot/],
    [
      'a container',
      {
        ...old,
        target: {
          driver: 'docker',
          image: 'x:2',
          env: {},
          ports: [],
          volumes: [],
          networks: [],
          labels: {},
          restart: 'no',
          stopGraceMs: 1,
        },
      },
      'auto',
      'stop-first',
      /driver changes \(process → docker\)/,
    ],
    [
      'Kubernetes',
      {
        ...old,
        target: {
          driver: 'kubernetes',
          manifests: [],
          inline: ['kind: Deployment'],
          namespace: 'x',
          waitForEndpoints: false,
        },
      },
      'stop-first',
      'apply',
      /RollingUpdate/,
    ],
  ])('%s', (_, next, order, method, reason) => {
    const decision = rolloutMethod(old, next, order);
    expect(decision.method).toBe(method);
    expect(decision.reason).toMatch(reason);
  });

  const container = (image: string, parts: { hostPort?: number; volume?: string } = {}): ServiceSpec => ({
    ...service('web', {}),
    health: undefined,
    target: {
      driver: 'docker',
      image,
      env: {},
      ports:
        parts.hostPort === undefined
          ? []
          : [{ hostIp: '127.0.0.1', hostPort: parts.hostPort, containerPort: 80, protocol: 'tcp' }],
      volumes: parts.volume === undefined ? [] : [parts.volume],
      networks: [],
      labels: {},
      restart: 'no',
      stopGraceMs: 1,
    },
  });
  it.each<[string, ServiceSpec, ServiceSpec, UpdateOrder, RolloutMethod, RegExp]>([
    [
      'a container without host ports or volumes',
      container('web:1'),
      container('web:2'),
      'auto',
      'start-first',
      /beside the old one/,
    ],
    [
      'host ports that differ',
      container('web:1', { hostPort: 8080 }),
      container('web:2', { hostPort: 8081 }),
      'auto',
      'start-first',
      /beside/,
    ],
    [
      'the same host port',
      container('web:1', { hostPort: 8080 }),
      container('web:2', { hostPort: 8080 }),
      'start-first',
      'stop-first',
      /port 8080 as the old one/,
    ],
    [
      'a volume',
      container('db:1', { volume: 'data:/var/lib/db' }),
      container('db:2', { volume: 'data:/var/lib/db' }),
      'auto',
      'stop-first',
      /mounts data:\/var\/lib\/db/,
    ],
    [
      'a volume, start-first asked for',
      container('db:1', { volume: 'data:/d' }),
      container('db:2', { volume: 'data:/d' }),
      'start-first',
      'start-first',
      /order is start-first/,
    ],
    ['stop-first asked for', container('web:1'), container('web:2'), 'stop-first', 'stop-first', /order is stop-first/],
  ])('%s', (_, before, next, order, method, reason) => {
    const decision = rolloutMethod(before, next, order);
    expect(decision.method).toBe(method);
    expect(decision.reason).toMatch(reason);
  });
});

describe('batchVerdict', () => {
  const ok = (service: string, critical = false): ServiceOutcome => ({ service, critical });
  const bad = (service: string, critical = false): ServiceOutcome => ({ service, critical, failure: 'HTTP 503' });
  it.each<[string, ServiceOutcome[], number, BatchVerdict['action'], string]>([
    ['all healthy', [ok('a'), ok('b')], 0, 'continue', ''],
    [
      'any failure at threshold 0',
      [ok('a'), bad('b')],
      0,
      'rollback-update',
      '1 of 2 services of the batch failed (50% > 0%): b: HTTP 503',
    ],
    ['within the threshold: only the failed one', [ok('a'), ok('b'), ok('c'), bad('d')], 25, 'rollback-services', ''],
    [
      'over the threshold',
      [ok('a'), bad('b'), bad('c')],
      50,
      'rollback-update',
      '2 of 3 services of the batch failed (67% > 50%): b: HTTP 503; c: HTTP 503',
    ],
    [
      'a critical one, whatever the threshold',
      [ok('a'), ok('b'), ok('c'), bad('d', true)],
      100,
      'rollback-update',
      'critical service d failed: HTTP 503',
    ],
  ])('%s', (_, outcomes, threshold, action, reason) => {
    const verdict = batchVerdict(outcomes, threshold);
    expect(verdict.action).toBe(action);
    if (reason) expect(verdict).toMatchObject({ reason });
    if (verdict.action === 'rollback-services') expect(verdict.services).toEqual(['d']);
  });
});

describe('update settings', () => {
  it('flags over the plan over the defaults', () => {
    const p = { ...plan([]), update: { observeMs: 60_000, order: 'stop-first' as const } };
    expect(updateSettings(p, { batchSize: { percent: 25 }, observeMs: undefined })).toEqual({
      ...defaultUpdateSettings,
      batchSize: { percent: 25 },
      observeMs: 60_000,
      order: 'stop-first',
    });
  });
  it.each<[string | number, ReturnType<typeof parseBatchSize>, number]>([
    [2, { count: 2 }, 2],
    ['3', { count: 3 }, 3],
    ['25%', { percent: 25 }, 3],
    ['1%', { percent: 1 }, 1],
    [0, undefined, 0],
    ['101%', undefined, 0],
    ['x', undefined, 0],
  ])('batch size %s of 10 changed services', (text, parsed, count) => {
    expect(parseBatchSize(text)).toEqual(parsed);
    if (parsed) expect(batchCount(parsed, 10)).toBe(count);
  });
});
