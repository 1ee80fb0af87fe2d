import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeFilesFromEnv, importCompose } from '../../src/compose/import-compose';
import type { DockerTarget } from '../../src/plan/types';
import { importText } from '../support/compose-import';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootwave-compose-fixes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const load = (text: string, env: Record<string, string> = {}) => importText(dir, text, env);

describe('Compose files as real projects write them', () => {
  test('142 alias references are read (the YAML library refuses 100 by default)', () => {
    let text = 'x-env: &env { A: "1" }\nx-lbl: &lbl { team: core }\nservices:\n';
    for (let i = 0; i < 71; i++) text += `  s${i}: { image: x:1, environment: *env, labels: *lbl }\n`;
    const { result, service } = load(text);
    expect(result.ok).toBe(true);
    expect(service('s70')?.target.env).toEqual({ A: '1' });
  });

  test('interpolated numbers, booleans and durations are typed as the spec allows', () => {
    const { service, errors } = load(
      'services:\n  db:\n    image: x:1\n    healthcheck: { test: [CMD, "true"], retries: $RETRIES, interval: "${INTERVAL}", disable: "${OFF}" }\n',
      { RETRIES: '10', INTERVAL: '1m30s', OFF: 'false' },
    );
    expect(errors).toEqual([]);
    expect(service('db')?.target.healthcheck?.timing).toMatchObject({ retries: 10, intervalMs: 90_000 });
  });

  test('service names with _ and . keep their Compose name as a network alias, container_name too', () => {
    const { service, warnings } = load(
      'services:\n  api_gw: { image: x:1, container_name: gateway, depends_on: [auth.svc] }\n  auth.svc: { image: y:1 }\n',
    );
    expect(service('api-gw')?.target.aliases).toEqual(['api_gw', 'gateway']);
    expect(service('api-gw')?.dependsOn).toEqual([{ service: 'auth-svc', kind: 'requires', condition: 'started' }]);
    expect(service('auth-svc')?.target.aliases).toEqual(['auth.svc']);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^services\.api_gw\.container_name: applied as a network alias: other containers reach it as gateway;/,
      ),
    ]);
  });

  test('two Compose names that become one plan name are an error', () => {
    expect(load('services:\n  a_b: { image: x:1 }\n  a-b: { image: x:1 }\n').errors).toEqual([
      'services.a-b: service names "a_b" and "a-b" both become "a-b" in bootwave (lowercase, "-" for "_" and ".")',
    ]);
  });

  test('ulimits, shm_size and security_opt are applied', () => {
    const { service } = load(
      'services:\n  s:\n    image: x:1\n    ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 }\n    shm_size: 64m\n    security_opt: [no-new-privileges:true]\n',
    );
    expect(service('s')?.target).toMatchObject({
      ulimits: [
        { name: 'nofile', soft: 1024, hard: 2048 },
        { name: 'nproc', soft: 512, hard: 512 },
      ],
      shmSizeBytes: 64 * 1024 ** 2,
      securityOpt: ['no-new-privileges:true'],
    });
  });

  test('anonymous volumes are created with the container', () => {
    const { service } = load('services:\n  s: { image: x:1, volumes: [/data, { type: volume, target: /cache }] }\n');
    expect(service('s')?.target.anonymousVolumes).toEqual(['/data', '/cache']);
  });
});

describe('gates are never weaker than Compose', () => {
  test('service_healthy on a service without a test waits for the image HEALTHCHECK (empty test)', () => {
    const { service } = load(
      'services:\n  db: { image: x:1 }\n  api: { image: y:1, depends_on: { db: { condition: service_healthy } } }\n',
    );
    expect(service('db')?.target.healthcheck?.test).toEqual([]);
    expect(service('api')?.dependsOn).toEqual([{ service: 'db', kind: 'requires', condition: 'healthy' }]);
  });

  test.each([
    ['disable: true', '{ disable: true }', 'disable: true'],
    ['test: [NONE]', '{ test: [NONE] }', 'test: ["NONE"]'],
  ])('service_healthy on a service with %s is refused', (_name, check, how) => {
    expect(
      load(
        `services:\n  db: { image: x:1, healthcheck: ${check} }\n  api: { image: y:1, depends_on: { db: { condition: service_healthy } } }\n`,
      ).errors,
    ).toEqual([
      `services.api.depends_on.db.condition: service_healthy on "db", whose healthcheck is disabled (${how}): it can never be healthy (Compose refuses this dependency too)`,
    ]);
  });

  test('a malformed test is an error, never a silent "running"', () => {
    expect(load('services:\n  db: { image: x:1, healthcheck: { test: 42 } }\n').errors).toEqual([
      'services.db.healthcheck.test: must be a command string or a list starting with CMD, CMD-SHELL or NONE, got 42',
    ]);
    expect(load('services:\n  db: { image: x:1, healthcheck: { test: [CMD] } }\n').errors).toEqual([
      'services.db.healthcheck.test: CMD needs a command after it',
    ]);
  });

  test('the start timeout covers start_period + interval x retries', () => {
    const { service } = load(
      'services:\n  slow: { image: x:1, healthcheck: { test: [CMD, "true"], start_period: 600s, interval: 10s, retries: 5 } }\n  quick: { image: x:1, healthcheck: { test: [CMD, "true"], interval: 1s } }\n',
    );
    expect(service('slow')?.startTimeoutMs).toBe(650_000);
    expect(service('quick')?.startTimeoutMs).toBe(60_000);
    // Compose accepts any timing: what it implies is capped at the longest budget a plan allows, a year.
    const long = load(
      'services:\n  a: { image: x:1, healthcheck: { test: [CMD, "true"], interval: 1000h, retries: 10 } }\n',
    );
    expect(long.errors).toEqual([]);
    expect(long.service('a')?.startTimeoutMs).toBe(365 * 24 * 3_600_000);
  });
});

describe('one-shots, several files and the environment', () => {
  test('a script with restart: on-failure:N and no healthcheck or ports is a one-shot', () => {
    const { service, warnings } = load(
      'services:\n  create-namespace: { image: x:1, restart: "on-failure:6" }\n  server: { image: y:1, restart: on-failure, ports: ["18090:80"] }\n',
    );
    expect(service('create-namespace')?.oneShot).toBe(true);
    expect(service('server')?.oneShot).toBe(false);
    expect(warnings).toEqual([
      'services.create-namespace.restart: treated as a one-shot that must exit 0: restart "on-failure:6" without a healthcheck or published ports (set x-bootwave.oneShot: false if it runs until stopped)',
    ]);
  });

  test('a server with a plain on-failure, or one others wait on to start, is not guessed to be a one-shot', () => {
    const { service, warnings } = load(
      'services:\n  postgresql: { image: postgres:16, restart: on-failure }\n  broker: { image: b:1, restart: "on-failure:5" }\n  app: { image: y:1, depends_on: [postgresql, broker] }\n',
    );
    expect(service('postgresql')?.oneShot).toBe(false);
    expect(service('broker')?.oneShot).toBe(false);
    expect(warnings).toEqual([]);
  });

  test('several -f files merge as Compose merges them', () => {
    const base = write(
      'compose.yaml',
      'services:\n  api: { image: x:1, environment: [A=1, B=2], ports: ["18030:80"] }\n',
    );
    const over = write(
      'compose.override.yaml',
      'services:\n  api: { image: x:2, environment: { B: "3" } }\n  db: { image: d:1 }\n',
    );
    const result = importCompose([base, over], { env: {} });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const api = result.plan.services.find((s) => s.name === 'api')!.target as DockerTarget;
    expect(api).toMatchObject({ image: 'x:2', env: { A: '1', B: '3' } });
    expect(api.ports.map((p) => p.hostPort)).toEqual([18030]);
    expect(result.plan.services.map((s) => s.name).sort()).toEqual(['api', 'db']);
  });

  test('COMPOSE_PROJECT_NAME wins over name:, COMPOSE_FILE lists files', () => {
    const { result } = load('name: from-file\nservices:\n  a: { image: x:1 }\n', { COMPOSE_PROJECT_NAME: 'From_Env' });
    expect(result.ok && result.plan.name).toBe('from-env');
    expect(composeFilesFromEnv({ COMPOSE_FILE: 'a.yml:b.yml' })).toEqual(['a.yml', 'b.yml']);
    expect(composeFilesFromEnv({ COMPOSE_FILE: 'a.yml;b.yml', COMPOSE_PATH_SEPARATOR: ';' })).toEqual([
      'a.yml',
      'b.yml',
    ]);
  });
});
