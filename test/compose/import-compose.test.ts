import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { importCompose } from '../../src/compose/import-compose';
import { isComposeFile, loadPlanOrCompose } from '../../src/compose/load-any';
import type { DockerTarget, ServiceSpec } from '../../src/plan/types';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootwave-compose-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function imported(text: string, env: Record<string, string> = {}, profiles?: string[]) {
  const file = write('docker-compose.yml', text);
  const result = importCompose(file, { env, ...(profiles ? { profiles } : {}) });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return {
    ...result,
    file,
    service: (name: string) =>
      result.plan.services.find((s) => s.name === name) as ServiceSpec & { target: DockerTarget },
  };
}

function failed(text: string, env: Record<string, string> = {}) {
  const file = write('docker-compose.yml', text);
  const result = importCompose(file, { env });
  if (result.ok) throw new Error('expected the import to fail');
  return {
    errors: result.errors.map((e) => `${e.path}: ${e.message}`),
    warnings: result.warnings.map((w) => `${w.path}: ${w.message}`),
    file,
  };
}

describe('importCompose mapping', () => {
  it('maps image, string and list commands, entrypoint, environment lists and maps, labels', () => {
    const { service } = imported(
      `
services:
  app:
    image: bootwave-test/busybox:1
    command: sh -c "echo 'hi there'; sleep 1"
    entrypoint: ["/bin/sh"]
    environment: [A=1, "B=x=y", FROM_ENV, UNSET]
    labels: [team=core]
  other:
    image: bootwave-test/busybox:1
    command: [sleep, "10"]
    environment: { N: 5, T: true, FROM_ENV: null }
    labels: { tier: db }
`,
      { FROM_ENV: 'outside' },
    );
    expect(service('app').target).toMatchObject({
      image: 'bootwave-test/busybox:1',
      command: ['sh', '-c', "echo 'hi there'; sleep 1"],
      entrypoint: ['/bin/sh'],
      env: { A: '1', B: 'x=y', FROM_ENV: 'outside' },
      labels: { team: 'core' },
    });
    expect(service('other').target).toMatchObject({
      command: ['sleep', '10'],
      env: { N: '5', T: 'true', FROM_ENV: 'outside' },
      labels: { tier: 'db' },
    });
  });

  it('publishes short and long port syntax on 127.0.0.1 unless an IP is given', () => {
    const { service, warnings } = imported(`
services:
  web:
    image: x:1
    ports:
      - "18701:80"
      - "0.0.0.0:18702:81/udp"
      - "8080"
      - { target: 90, published: 18703 }
      - { target: 91, published: "18704", host_ip: 127.0.0.2, protocol: udp }
`);
    expect(service('web').target.ports).toEqual([
      { hostIp: '127.0.0.1', hostPort: 18701, containerPort: 80, protocol: 'tcp' },
      { hostIp: '0.0.0.0', hostPort: 18702, containerPort: 81, protocol: 'udp' },
      { hostIp: '127.0.0.1', hostPort: 18703, containerPort: 90, protocol: 'tcp' },
      { hostIp: '127.0.0.2', hostPort: 18704, containerPort: 91, protocol: 'udp' },
    ]);
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      'services.web.ports[2]: ignored: port 8080 has no host port (bootwave publishes fixed host ports only)',
    ]);
  });

  it('resolves bind mounts against the Compose folder and scopes named volumes to the plan', () => {
    const { service } = imported(`
services:
  db:
    image: x:1
    volumes:
      - ./data:/var/lib/data:ro
      - pgdata:/pg
      - { type: bind, source: /etc/hosts, target: /h, read_only: true }
      - shared:/s
volumes:
  pgdata: {}
  shared: { external: true, name: team-shared }
`);
    expect(service('db').target.volumes).toEqual([
      `${dir}/data:/var/lib/data:ro`,
      `bootwave-${dir
        .split('/')
        .pop()!
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')}-pgdata:/pg`,
      '/etc/hosts:/h:ro',
      'team-shared:/s',
    ]);
  });

  it('maps depends_on short and long syntax, required: false, and makes completed dependencies one-shots', () => {
    const { service, warnings } = imported(`
services:
  db: { image: x:1 }
  migrate: { image: x:1, depends_on: [db] }
  cache: { image: x:1 }
  api:
    image: x:1
    depends_on:
      db: { condition: service_healthy, restart: true }
      migrate: { condition: service_completed_successfully }
      cache: { condition: service_started, required: false }
`);
    expect(service('migrate').dependsOn).toEqual([{ service: 'db', kind: 'requires', condition: 'started' }]);
    expect(service('api').dependsOn).toEqual([
      { service: 'db', kind: 'requires', condition: 'healthy' },
      { service: 'migrate', kind: 'requires', condition: 'completed' },
      { service: 'cache', kind: 'wants', condition: 'started' },
    ]);
    expect(service('migrate').oneShot).toBe(true);
    expect(service('db').oneShot).toBe(false);
    expect(warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      'services.api.depends_on.db.restart: noted but not supported by bootwave: dependents are not restarted when db restarts',
    ]);
  });

  it('maps healthchecks: CMD, CMD-SHELL, a plain string, Compose default timing, disable and NONE', () => {
    const { service } = imported(`
services:
  a:
    image: x:1
    healthcheck: { test: [CMD, redis-cli, ping], interval: 1s, timeout: 500ms, retries: 5, start_period: 10s, start_interval: 100ms }
  b:
    image: x:1
    healthcheck: { test: "pg_isready -U app" }
  c:
    image: x:1
    healthcheck: { test: [CMD-SHELL, "curl -f localhost"], disable: true }
  d:
    image: x:1
    healthcheck: { test: [NONE] }
`);
    expect(service('a').target.healthcheck).toEqual({
      test: ['CMD', 'redis-cli', 'ping'],
      timing: {
        intervalMs: 1000,
        timeoutMs: 500,
        retries: 5,
        successThreshold: 1,
        startPeriodMs: 10_000,
        startIntervalMs: 100,
      },
    });
    expect(service('b').target.healthcheck).toEqual({
      test: ['CMD-SHELL', 'pg_isready -U app'],
      timing: {
        intervalMs: 30_000,
        timeoutMs: 30_000,
        retries: 3,
        successThreshold: 1,
        startPeriodMs: 0,
        startIntervalMs: 5000,
      },
    });
    // Disabled, the image's own HEALTHCHECK too: the engine is told NONE, as Compose tells it.
    expect(service('c').target.healthcheck?.test).toEqual(['NONE']);
    expect(service('d').target.healthcheck?.test).toEqual(['NONE']);
  });

  it('maps restart policies, memory limits (binary units), stop grace, profiles and x-bootwave settings', () => {
    const { service, plan, bootOptions } = imported(
      `
x-bootwave:
  strategy: waves
  onFailure: halt
  waves: [{ name: data }, { name: apps }]
services:
  a:
    image: x:1
    restart: on-failure:3
    deploy: { resources: { limits: { memory: 512m } } }
    stop_grace_period: 2s
    x-bootwave: { wave: data, critical: false, expectedStart: 3s }
  b:
    image: x:1
    restart: unless-stopped
    mem_limit: 1g
    profiles: [extra]
    x-bootwave: { wave: apps }
`,
      {},
      ['extra'],
    );
    expect(service('a').target).toMatchObject({ restart: 'on-failure', restartMaxAttempts: 3, stopGraceMs: 2000 });
    expect(service('a')).toMatchObject({
      memoryBytes: 512 * 1024 ** 2,
      critical: false,
      expectedStartMs: 3000,
      wave: 'data',
    });
    expect(service('b')).toMatchObject({ memoryBytes: 1024 ** 3, profiles: ['extra'], wave: 'apps' });
    expect(service('b').target.restart).toBe('unless-stopped');
    expect(plan.waves.map((w) => w.name)).toEqual(['data', 'apps']);
    expect(bootOptions).toEqual({ strategy: 'waves', onFailure: 'halt' });
  });

  it('maps networks onto plan networks and rejects undeclared ones', () => {
    const { service } = imported(`
services:
  a: { image: x:1, networks: [backend, default] }
  b: { image: x:1, networks: { backend: {} } }
networks:
  backend: {}
`);
    expect(service('a').target.networks).toEqual(['backend', 'default']);
    expect(service('b').target.networks).toEqual(['backend']);
    expect(
      failed(`
services:
  a: { image: x:1, networks: [front] }
`).errors,
    ).toEqual(['services.a.networks: network "front" is not declared in the top-level networks']);
  });
});

describe('importCompose environment', () => {
  it('substitutes ${VAR}, $VAR, defaults and $$, from the environment over .env', () => {
    write('.env', 'TAG=from-dotenv\nPORT=18711\n# comment\nQUOTED="a b"\n');
    const { service } = imported(
      `
services:
  app:
    image: "bootwave-test/app:\${TAG}"
    command: ["echo", "$GREETING", "\${MISSING:-fallback}", "\${EMPTY-kept}", "$$HOME", "\${QUOTED}"]
    ports: ["\${PORT}:80"]
`,
      { TAG: 'from-env', GREETING: 'hello', EMPTY: '' },
    );
    expect(service('app').target.image).toBe('bootwave-test/app:from-env');
    expect(service('app').target.command).toEqual(['echo', 'hello', 'fallback', '', '$HOME', 'a b']);
    expect(service('app').target.ports[0]?.hostPort).toBe(18711);
  });

  it('reports required variables and warns about unset ones', () => {
    const result = failed(`
services:
  app:
    image: "x:\${TAG:?set TAG to the release}"
    command: ["echo", "\${NOPE}"]
`);
    expect(result.errors).toEqual([
      'services.app.image: required variable TAG is missing a value: set TAG to the release',
    ]);
    expect(result.warnings).toEqual([
      'services.app.command[1]: variable NOPE is not set; substituting an empty string (as Compose does)',
    ]);
  });

  it('reads integers as Compose does (0755 is 493, 0b101 is 5, 1_000, exact beyond a double); quoted as written', () => {
    const { service } = imported(`
services:
  app: { image: x:1, environment: { A: 0755, B: "0755", C: 09, D: 0b101, E: 1_000, F: 12345678901234567890, G: .inf } }
`);
    expect(service('app').target.env).toEqual({
      A: '493',
      B: '0755',
      C: '9',
      D: '5',
      E: '1000',
      F: '12345678901234567890',
      G: '+Inf',
    });
  });

  it('merges a port mapping written twice, and refuses two containers with one container_name, as Compose does', () => {
    const { service } = imported(`
services:
  app: { image: x:1, ports: ["18001-18003:80-82", "18002:81", "18001:80"] }
`);
    expect(service('app').target.ports.map((p) => `${p.hostPort}:${p.containerPort}`)).toEqual([
      '18001:80',
      '18002:81',
      '18003:82',
    ]);
    expect(
      failed(`
services:
  a: { image: x:1, container_name: same }
  b: { image: x:1, container_name: same }
`).errors,
    ).toEqual(['services.b.container_name: container name "same" is already the name of service "a"\'s container']);
    // Two services of different profiles may share one: only one of them runs, as Compose accepts.
    const profiled = `
services:
  a: { image: x:1, container_name: same, profiles: [one] }
  b: { image: x:1, container_name: same, profiles: [two] }
`;
    expect(imported(profiled, {}, ['one']).service('a').target.aliases).toEqual(['same']);
    expect(failed(profiled, { COMPOSE_PROFILES: 'one,two' }).errors).toEqual([
      'services.b.container_name: container name "same" is already the name of service "a"\'s container',
    ]);
  });

  it('reads env_file entries relative to the Compose file', () => {
    write('app.env', 'DB_URL=postgres://db\nexport MODE=dev\n');
    const { service } = imported(`
services:
  app: { image: x:1, env_file: [app.env], environment: { MODE: prod } }
`);
    expect(service('app').target.env).toEqual({ DB_URL: 'postgres://db', MODE: 'prod' });
  });
});

describe('importCompose unsupported keys', () => {
  it('tells a typo from a Compose key bootwave does not support, and suggests the key meant', () => {
    const result = failed(`
servces: {}
models: { llm: { model: ai/smollm2 } }
services:
  web: { image: x:1, helthcheck: { test: [CMD, "true"] }, enviroment: { A: "1" }, runtime: runc, gpus: all }
`);
    expect(result.errors).toEqual([
      'servces: unknown key: not in the Compose Specification (did you mean "services"?)',
      'models: not supported by bootwave',
      'services.web.helthcheck: unknown key: not in the Compose Specification (did you mean "healthcheck"?)',
      'services.web.enviroment: unknown key: not in the Compose Specification (did you mean "environment"?)',
      'services.web.runtime: not supported by bootwave',
      'services.web.gpus: not supported by bootwave',
    ]);
  });

  it('reports every unsupported key by name and path: errors refuse the file, warnings are listed', () => {
    const result = failed(`
version: "3.9"
secrets:
  token: { file: ./token }
services:
  gateway:
    build: ./gateway
    container_name: gw
    user: "1000"
    logging: { driver: json-file }
    frobnicate: true
    ports: ["18001-18003:80-81"]
    deploy: { replicas: 3 }
    healthcheck: { test: [CMD, "true"], foo: 1, intervall: 5s }
    restart: sometimes
`);
    expect(result.errors).toEqual([
      'services.gateway.frobnicate: unknown key: not in the Compose Specification',
      'services.gateway.ports[0]: invalid port "18001-18003:80-81": the host range and the container range differ in length',
      'services.gateway.restart: invalid restart policy "sometimes": expected no, always, on-failure[:N] or unless-stopped',
      'services.gateway.healthcheck.foo: unknown key (expected test, interval, timeout, retries, start_period, start_interval, disable)',
      'services.gateway.healthcheck.intervall: unknown key (did you mean "interval"?)',
      'services.gateway.deploy.replicas: not supported by bootwave',
      expect.stringMatching(
        /^services\.gateway\.build: build context \.\/gateway is not a folder \(looked in \/.*\/gateway\)$/,
      ),
    ]);
    expect(result.warnings).toEqual([
      'version: ignored: the Compose file format version is obsolete',
      'services.gateway.logging: not applied: the engine default log driver is used',
      expect.stringMatching(
        /^services\.gateway\.container_name: applied as a network alias: other containers reach it as gw; the container itself is named bootwave-[a-z0-9-]+-gateway$/,
      ),
    ]);
  });

  it('passes plan validation errors through with the Compose file name', () => {
    const result = failed(`
services:
  a: { image: x:1, depends_on: [nope] }
`);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.join('\n')).toMatch(/nope/);
  });

  it('reports the plan checks together with the mapping errors, at the keys the Compose file wrote', () => {
    const result = failed(`
services:
  web_1:
    image: busybox
    ports: ["8080", "70000:80"]
    volumes: ["./data:/data", "named:/x"]
    healthcheck: { test: [CMD, "true"], interval: 0s, start_period: 0s }
    depends_on:
      db: { condition: service_started }
      ghost: { condition: service_healthy }
    x-bootwave: { wave: -3 }
    bogus_key: 1
  db: 42
`);
    expect(result.errors).toEqual([
      'services.web_1.bogus_key: unknown key: not in the Compose Specification',
      'services.web_1.ports[1]: host port must be from 1 to 65535, got 70000 in "70000:80"',
      'services.web_1.volumes[1]: volume "named" is not declared in the top-level volumes',
      'services.db: must be a mapping',
      'services.web_1.x-bootwave.wave: must be at least 0, got -3',
      'services.web_1.healthcheck.interval: must be longer than 0, got "0s"',
      'services.web_1.depends_on.ghost: unknown service "ghost"',
    ]);
  });

  it('does not repeat a problem under a key the mapping already refused', () => {
    const result = failed(`
services:
  "bad name": { image: x:1 }
  app: { image: x:1, depends_on: ["bad name"] }
`);
    expect(result.errors).toEqual([
      'services.bad name: invalid service name "bad name": Compose allows letters, digits, ".", "_" and "-"',
    ]);
  });

  it('honours !reset and !override across -f files and refuses them where they mean nothing', () => {
    const base = write('compose.yaml', 'services:\n  a: { image: x:1, ports: ["18030:80"], cap_add: [NET_ADMIN] }\n');
    const override = write(
      'compose.override.yaml',
      'services:\n  a: { ports: !override ["18031:81"], cap_add: !reset [] }\n',
    );
    const result = importCompose([base, override], { env: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const target = result.plan.services[0]!.target as DockerTarget;
    expect(target.ports.map((p) => `${p.hostPort}:${p.containerPort}`)).toEqual(['18031:81']);
    expect(target.capAdd).toBeUndefined();
    const misplaced = failed('services:\n  a: { image: x:1, cap_add: [!reset NET_ADMIN] }\n');
    expect(misplaced.errors).toEqual([': YAML tag !reset belongs on a key\'s value (e.g. "ports: !reset []")']);
  });

  it('with several -f files, a problem names the file that wrote its key', () => {
    const base = write('compose.yaml', 'services:\n  a: { image: x:1, ports: ["18001:80"] }\n');
    const over = write(
      'compose.override.yaml',
      'services:\n  a: { portz: ["1:1"], healthcheck: { tset: [CMD, x] } }\n  b: { imag: x }\n',
    );
    const result = importCompose([base, over], { env: {} });
    if (result.ok) throw new Error('expected the import to fail');
    expect(result.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`)).toEqual([
      `${over}: services.a.portz: unknown key: not in the Compose Specification (did you mean "ports"?)`,
      `${over}: services.a.healthcheck.tset: unknown key (did you mean "test"?)`,
      `${over}: services.b.imag: unknown key: not in the Compose Specification (did you mean "image"?)`,
      `${base}, ${over}: services.b.image: is required (or a build to make it)`,
    ]);
    // Warnings too, the secret-looking variable's among them.
    write('compose.override.yaml', 'services:\n  a: { environment: { DB_PASSWORD: x }, expose: ["80"] }\n');
    expect(importCompose([base, over], { env: {} }).warnings.map((w) => `${w.file}: ${w.path}`)).toEqual([
      `${over}: services.a.expose`,
      `${over}: services.a.environment.DB_PASSWORD`,
    ]);
  });

  it('adds included projects, with their own folder and .env, and refuses names defined twice or include cycles', () => {
    mkdirSync(join(dir, 'db'));
    write('db/.env', 'DB_TAG=16\n');
    write('db/compose.yaml', 'services:\n  db: { image: "pg:${DB_TAG}", volumes: ["./data:/var/lib/db"] }\n');
    const ok = imported('include: [db/compose.yaml]\nservices:\n  app: { image: x:1, depends_on: [db] }\n');
    const db = ok.service('db');
    expect(db.target.image).toBe('pg:16');
    expect(db.target.volumes).toEqual([`${join(dir, 'db/data')}:/var/lib/db`]);

    write('loop.yaml', 'include: [docker-compose.yml]\nservices:\n  other: { image: x:1 }\n');
    const clash = failed('include: [db/compose.yaml, loop.yaml]\nservices:\n  db: { image: x:1 }\n');
    expect(clash.errors).toEqual([
      `include[0]: include cycle: ${join(dir, 'docker-compose.yml')} → ${join(dir, 'loop.yaml')} → ${join(dir, 'docker-compose.yml')}`,
      expect.stringMatching(/^services\.db: also defined by the included .*db\/compose\.yaml$/),
    ]);
  });

  it('names the included file that wrote a key a problem is at, and the including file for its own keys', () => {
    mkdirSync(join(dir, 'db'));
    write('db/compose.yaml', 'services:\n  db: { image: pg:16, runtime: runc }\n');
    const file = write(
      'docker-compose.yml',
      'include: [db/compose.yaml]\nservices:\n  app: { image: x:1, gpus: all }\n',
    );
    const result = importCompose(file, { env: {} });
    if (result.ok) throw new Error('expected the import to fail');
    expect(result.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`)).toEqual([
      `${file}: services.app.gpus: not supported by bootwave`,
      `${join(dir, 'db/compose.yaml')}: services.db.runtime: not supported by bootwave`,
    ]);
  });

  it('names the service an extending one inherited a key from, in its own file, as where the problem is', () => {
    mkdirSync(join(dir, 'hw'));
    write('hw/accel.yml', 'services:\n  openvino: { device_cgroup_rules: ["c 189:* rmw"] }\n');
    const file = write(
      'docker-compose.yml',
      'services:\n  ml: { image: x:1, extends: { file: hw/accel.yml, service: openvino } }\n  base: { image: y:1, runtime: runc }\n  web: { extends: base }\n',
    );
    const result = importCompose(file, { env: {} });
    if (result.ok) throw new Error('expected the import to fail');
    expect(result.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`)).toEqual([
      `${join(dir, 'hw/accel.yml')}: services.openvino.device_cgroup_rules: not supported by bootwave`,
      `${file}: services.base.runtime: not supported by bootwave`,
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const file = write('docker-compose.yml', 'services:\n  a: [\n');
    const result = importCompose(file, { env: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ file, line: expect.any(Number) });
  });
});

describe('loadPlanOrCompose', () => {
  it('detects Compose files by name and by content, and plan files otherwise', () => {
    expect(isComposeFile(write('compose.yaml', 'services: {}'))).toBe(true);
    expect(isComposeFile(write('stack.yml', 'services:\n  a: { image: x:1 }\n'))).toBe(true);
    expect(isComposeFile(write('plan.yml', 'name: p\nservices:\n  a: { docker: { image: x:1 } }\n'))).toBe(false);
  });

  it('loads a plan file through the plan loader and a Compose file through the import', () => {
    const plan = loadPlanOrCompose(write('plan.yml', 'name: p\nservices:\n  a: { docker: { image: x:1 } }\n'), {
      env: {},
    });
    expect(plan.ok && plan.plan.name).toBe('p');
    expect(plan.bootOptions).toBeUndefined();
    const compose = loadPlanOrCompose(write('docker-compose.yml', 'services:\n  a: { image: x:1 }\n'), {
      env: { COMPOSE_PROJECT_NAME: 'My_App' },
    });
    expect(compose.ok && compose.plan.name).toBe('my-app');
    expect(compose.ok && compose.plan.services[0]?.target.driver).toBe('docker');
  });

  it('tells by content a Compose file whose images come from merge keys, and a plan that uses them', () => {
    const compose = loadPlanOrCompose(
      write('stack.yml', 'x-base: &base { image: x:1 }\nservices:\n  a: { <<: *base }\n  b: { <<: *base }\n'),
      { env: {} },
    );
    expect(compose.ok && compose.plan.services.map((s) => s.target.driver)).toEqual(['docker', 'docker']);
    const plan = loadPlanOrCompose(
      write(
        'plan.yml',
        'name: p\nservices:\n  a: &base { process: { command: [sleep, "9"] }, startTimeout: 7s }\n' +
          '  b: { <<: *base, dependsOn: [a] }\n',
      ),
      { env: {} },
    );
    expect(plan.ok && plan.plan.services.map((s) => [s.name, s.startTimeoutMs, s.dependsOn.length])).toEqual([
      ['a', 7000, 0],
      ['b', 7000, 1],
    ]);
  });

  it('reads a Compose file of `extends` only as Compose, and a plan named compose.yaml as a plan', () => {
    const base = write('base.yml', 'services:\n  web: { image: x:1 }\n');
    const compose = loadPlanOrCompose(
      write('app-stack.yml', `services:\n  web: { extends: { file: ${base}, service: web } }\n`),
      { env: {} },
    );
    expect(compose.ok && compose.plan.services[0]?.target).toMatchObject({ driver: 'docker', image: 'x:1' });
    const plan = loadPlanOrCompose(
      write(
        'docker-compose.yml',
        'name: p\nwaves: [{ name: all }]\nservices:\n  a: { process: { command: [sleep, "9"] } }\n',
      ),
      { env: {} },
    );
    expect(plan.ok && plan.plan.services[0]?.target.driver).toBe('process');
    expect(isComposeFile(write('compose.yaml', 'name: p\nservices:\n  a: { docker: { image: x:1 } }\n'))).toBe(false);
  });

  it('says why an extends cannot be resolved, once each, and starts nothing', () => {
    write('base.yml', 'services:\n  web: { image: x:1 }\n');
    write('empty.yml', 'version: "3"\n');
    const { errors } = failed(
      'services:\n' +
        '  gone: { extends: { file: nope.yml, service: web } }\n' +
        '  none: { extends: { file: empty.yml, service: web } }\n' +
        '  other: { extends: { file: base.yml, service: api } }\n' +
        '  a: { image: x:1, extends: b }\n' +
        '  b: { image: x:1, extends: a }\n',
    );
    expect(errors).toEqual([
      ': Failed to read Compose file: no such file',
      'services.none.extends.file: empty.yml has no services to extend',
      'services.other.extends.service: unknown service "api" in base.yml',
      'services.a.extends: extends cycle: a → b → a',
      'services.b.extends: extends cycle: b → a → b',
    ]);
  });

  it("resolves an extended file's relative paths, and the file of its own extends, against its folder", () => {
    mkdirSync(join(dir, 'sub', 'more'), { recursive: true });
    write('sub/more/deeper.yml', 'services:\n  deepest: { image: x:1, volumes: [./cache:/cache] }\n');
    write('sub/common.env', 'FROM_COMMON=1\n');
    write(
      'sub/common.yml',
      'services:\n  worker:\n    extends: { file: more/deeper.yml, service: deepest }\n' +
        '    env_file: ./common.env\n    volumes: [./data:/data]\n',
    );
    const { service } = imported(
      'services:\n  worker:\n    extends: { file: sub/common.yml, service: worker }\n    volumes: [./here:/here]\n',
    );
    expect(service('worker').target.volumes).toEqual([
      `${join(dir, 'sub/more/cache')}:/cache`,
      `${join(dir, 'sub/data')}:/data`,
      `${join(dir, 'here')}:/here`,
    ]);
    expect(service('worker').target.env).toEqual({ FROM_COMMON: '1' });
  });

  it('says that standard input and URLs are not read, instead of "no such file"', () => {
    const message = (file: string) => {
      const result = loadPlanOrCompose(file, { env: {} });
      return result.ok ? undefined : result.errors[0]?.message;
    };
    expect(message('-')).toBe('Failed to read plan: standard input is not read: give the path of a file');
    expect(message('https://example.com/plan.yaml')).toBe(
      'Failed to read plan: URLs are not fetched: give the path of a local file',
    );
  });

  it('reports a plan that does not parse, or cannot be read, as the plan loader does', () => {
    const broken = loadPlanOrCompose(write('plan.yml', 'name: p\nservices: [\n'), { env: {} });
    expect(!broken.ok && broken.errors[0]).toMatchObject({ line: expect.any(Number) });
    const missing = loadPlanOrCompose(join(dirname(write('x.yml', '')), 'missing.yml'), { env: {} });
    expect(!missing.ok && missing.errors[0]?.message).toBe('Failed to read plan: no such file');
  });
});
