import { defaultProbeTiming } from '../../src/plan/defaults';
import { loadPlanDocument, type LoadOptions } from '../../src/plan/load-plan-document';
import type { ResolvedPlan } from '../../src/plan/types';

function load(doc: unknown, options: Partial<LoadOptions> = {}): ResolvedPlan {
  const result = loadPlanDocument(doc, { file: '/plans/demo/plan.yaml', env: {}, ...options });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.plan;
}
const proc = { process: { command: ['node', 'svc.js'] } };

describe('loadPlanDocument', () => {
  test('fills every default and resolves relative paths against the plan folder', () => {
    const plan = load({
      name: 'demo',
      services: {
        api: {
          process: { command: ['node', 'api.js'], cwd: './api' },
          health: { check: { kind: 'http', url: 'http://127.0.0.1:18001/health' } },
        },
      },
    });
    expect(plan).toEqual({
      name: 'demo',
      source: '/plans/demo/plan.yaml',
      waves: [{ name: 'wave-0', index: 0, services: ['api'] }],
      services: [
        {
          name: 'api',
          wave: 'wave-0',
          target: {
            driver: 'process',
            command: ['node', 'api.js'],
            env: {},
            cwd: '/plans/demo/api',
            stopGraceMs: 5000,
          },
          dependsOn: [],
          critical: true,
          oneShot: false,
          health: {
            probe: { kind: 'http', url: 'http://127.0.0.1:18001/health', expectStatus: [] },
            // Without a start period, failures count only after the start timeout (60s by default).
            timing: { ...defaultProbeTiming, startPeriodMs: 60_000 },
            preChecks: [],
          },
          startTimeoutMs: 60_000,
          expectedStartMs: 1000,
          profiles: [],
        },
      ],
    });
  });

  test('service settings win over plan defaults, which win over built-in defaults', () => {
    const plan = load({
      name: 'demo',
      defaults: { health: { interval: '5s', retries: 5 }, startTimeout: '2m', stopGrace: '1s' },
      services: {
        a: { ...proc, health: { check: { kind: 'tcp', host: '127.0.0.1', port: 18001 }, interval: '250ms' } },
        b: { ...proc, startTimeout: '10s' },
      },
    });
    const [a, b] = plan.services;
    expect(a!.health!.timing).toEqual({ ...defaultProbeTiming, intervalMs: 250, retries: 5, startPeriodMs: 120_000 });
    expect(a!.startTimeoutMs).toBe(120_000);
    expect(b!.startTimeoutMs).toBe(10_000);
    expect(a!.target).toMatchObject({ stopGraceMs: 1000 });
  });

  test('substitutes ${VAR} and ${VAR:-default} from the environment; $$ is a literal $', () => {
    const doc = {
      name: 'demo',
      services: {
        a: {
          process: { command: ['node', '${SCRIPT}', '--port', '${PORT:-18001}', 'cost: $$5'] },
          health: { check: { kind: 'tcp', host: '127.0.0.1', port: '${PORT:-18001}' } },
        },
      },
    };
    const withDefault = load(doc, { env: { SCRIPT: 'svc.js' } });
    expect(withDefault.services[0]!.target).toMatchObject({
      command: ['node', 'svc.js', '--port', '18001', 'cost: $5'],
    });
    expect(withDefault.services[0]!.health!.probe).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 18001 });
    const fromEnv = load(doc, { env: { SCRIPT: 'svc.js', PORT: '18999' } });
    expect(fromEnv.services[0]!.target).toMatchObject({ command: ['node', 'svc.js', '--port', '18999', 'cost: $5'] });
    expect(fromEnv.services[0]!.health!.probe).toMatchObject({ port: 18999 });
  });

  test('short-form dependencies are requires+healthy, or requires+completed on a one-shot', () => {
    const plan = load({
      name: 'demo',
      services: {
        db: proc,
        migrate: { ...proc, oneShot: true, dependsOn: ['db'] },
        api: { ...proc, dependsOn: ['db', 'migrate', { service: 'cache', kind: 'wants', condition: 'started' }] },
        cache: proc,
      },
    });
    expect(plan.services.find((s) => s.name === 'api')!.dependsOn).toEqual([
      { service: 'db', kind: 'requires', condition: 'healthy' },
      { service: 'migrate', kind: 'requires', condition: 'completed' },
      { service: 'cache', kind: 'wants', condition: 'started' },
    ]);
    expect(plan.services.map((s) => s.name)).toEqual(['db', 'migrate', 'cache', 'api']);
  });

  describe('profiles', () => {
    const doc = {
      name: 'demo',
      services: {
        db: proc,
        ui: { ...proc, profiles: ['dev'], dependsOn: ['db'] },
        debug: { ...proc, profiles: ['debug'] },
        api: { ...proc, dependsOn: ['db', { service: 'debug', kind: 'wants' }] },
      },
    };
    const names = (plan: ResolvedPlan) => plan.services.map((s) => s.name);
    test('services without profiles always run; profiled ones only when selected', () => {
      expect(names(load(doc))).toEqual(['db', 'api']);
      expect(names(load(doc, { profiles: ['dev'] }))).toEqual(['db', 'ui', 'api']);
      expect(names(load(doc, { profiles: ['dev', 'debug'] }))).toEqual(['db', 'ui', 'debug', 'api']);
    });
    test('a soft dependency on a deselected service is dropped', () => {
      expect(load(doc).services.find((s) => s.name === 'api')!.dependsOn).toEqual([
        { service: 'db', kind: 'requires', condition: 'healthy' },
      ]);
    });
    test('BOOTWAVE_PROFILES selects when the caller passes none; an explicit list wins', () => {
      expect(names(load(doc, { env: { BOOTWAVE_PROFILES: 'dev, debug' } }))).toEqual(['db', 'ui', 'debug', 'api']);
      expect(names(load(doc, { env: { BOOTWAVE_PROFILES: 'dev' }, profiles: [] }))).toEqual(['db', 'api']);
    });
  });

  test('resolves docker, kubernetes and check targets', () => {
    const plan = load({
      name: 'demo',
      services: {
        web: {
          docker: {
            image: 'nginx:1',
            ports: ['18080:80', '0.0.0.0:18443:443/udp'],
            healthcheck: { test: ['CMD', 'true'], interval: '2s' },
          },
        },
        k: { kubernetes: { manifests: ['manifests/a.yaml', '/abs/b.yaml'], namespace: 'kosmos' } },
      },
    });
    expect(plan.services[0]!.target).toEqual({
      driver: 'docker',
      image: 'nginx:1',
      env: {},
      ports: [
        { hostIp: '127.0.0.1', hostPort: 18080, containerPort: 80, protocol: 'tcp' },
        { hostIp: '0.0.0.0', hostPort: 18443, containerPort: 443, protocol: 'udp' },
      ],
      volumes: [],
      networks: [],
      labels: {},
      restart: 'no',
      healthcheck: { test: ['CMD', 'true'], timing: { ...defaultProbeTiming, intervalMs: 2000 } },
      stopGraceMs: 5000,
    });
    expect(plan.services[1]!.target).toEqual({
      driver: 'kubernetes',
      manifests: ['/plans/demo/manifests/a.yaml', '/abs/b.yaml'],
      inline: [],
      namespace: 'kosmos',
      waitForEndpoints: false,
    });
  });

  test('staged checks keep their order, timeouts and critical flags', () => {
    const plan = load({
      name: 'demo',
      services: {
        a: {
          ...proc,
          health: {
            check: {
              kind: 'staged',
              stages: [
                { name: 'port', timeout: '30s', check: { kind: 'tcp', host: '127.0.0.1', port: 18001 } },
                {
                  name: 'full',
                  timeout: '2m',
                  critical: false,
                  check: { kind: 'composite', checks: [{ kind: 'exec', argv: ['true'] }] },
                },
              ],
            },
          },
        },
      },
    });
    expect(plan.services[0]!.health!.probe).toEqual({
      kind: 'staged',
      stages: [
        { name: 'port', timeoutMs: 30_000, critical: true, check: { kind: 'tcp', host: '127.0.0.1', port: 18001 } },
        {
          name: 'full',
          timeoutMs: 120_000,
          critical: false,
          check: { kind: 'composite', checks: [{ kind: 'exec', argv: ['true'] }] },
        },
      ],
    });
  });

  test('numbered waves without a waves list become waves in that order', () => {
    const plan = load({
      name: 'demo',
      services: { late: { ...proc, wave: 2 }, early: { ...proc, wave: 0 }, free: { ...proc, dependsOn: ['early'] } },
    });
    expect(plan.waves.map((w) => [w.name, w.services])).toEqual([
      ['wave-0', ['early']],
      ['wave-1', ['free']],
      ['wave-2', ['late']],
    ]);
  });

  test('a manifest that does not exist is an issue naming the resolved path', () => {
    const result = loadPlanDocument(
      { name: 'demo', services: { k: { kubernetes: { manifests: ['missing.yaml'] } } } },
      { file: '/p/plan.yaml', manifestProblems: (path) => [`manifest not found: ${path}`] },
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: '/p/plan.yaml',
          path: 'services.k.kubernetes.manifests[0]',
          message: 'manifest not found: /p/missing.yaml',
        },
      ],
    });
  });
});
