import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCompose } from '../../../src/compose/import-compose';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver';
import type { BootOptions } from '../../../src/plan/boot-input';
import type { ResolvedPlan } from '../../../src/plan/types';
import type { BootStatus, ServiceStatus } from '../../../src/contract/status';
import { bootToEnd, tearDown } from '../../support/boot-worker';
import {
  cleanupPlan,
  docker,
  ensureDockerForTests,
  inspectField,
  planContainers,
  planNetworks,
  uniquePlanName,
} from '../../support/docker';
import { waitFor } from '../../support/wait-for';

const drivers = { docker: new DockerDriver() };
const plans: string[] = [];
const dirs: string[] = [];
const images: string[] = [];

beforeAll(() => ensureDockerForTests(), 600_000);

afterAll(() => {
  for (const plan of plans) cleanupPlan(plan);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const image of images)
    try {
      docker(['rmi', '-f', image]);
    } catch {
      // Never built (the test failed before): nothing to remove.
    }
});

/** A Compose file with a Postgres-like data service, a one-shot migration and an API gated on both. */
function stack(migrationExitCode: number): string {
  return `
x-standin: &standin
  image: bootwave-test/busybox:1
  command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 300"]
  healthcheck: { test: [CMD-SHELL, "test -f /tmp/ready"], interval: 250ms, timeout: 2s, retries: 20 }
  stop_grace_period: 1s
services:
  db:
    <<: *standin
    x-bootwave: { wave: data }
  cache:
    <<: *standin
    x-bootwave: { wave: data }
  migrate:
    image: bootwave-test/busybox:1
    command: ["sh", "-c", "echo migrating; sleep 1; echo schema applied; exit ${migrationExitCode}"]
    depends_on: { db: { condition: service_healthy } }
    x-bootwave: { wave: migrations }
  api:
    <<: *standin
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
    x-bootwave: { wave: apps }
x-bootwave:
  waves: [{ name: data }, { name: migrations }, { name: apps }]
`;
}

function importStack(prefix: string, text: string): ResolvedPlan {
  const dir = mkdtempSync(join(tmpdir(), 'bootwave-docker-boot-'));
  dirs.push(dir);
  const file = join(dir, 'docker-compose.yml');
  writeFileSync(file, text);
  const name = uniquePlanName(prefix);
  plans.push(name);
  const result = importCompose(file, { env: { COMPOSE_PROJECT_NAME: name } });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

const boot = (plan: ResolvedPlan, options: Partial<BootOptions>) => bootToEnd(drivers, plan, options, 'docker-boot');

/** What `bootwave down` runs. */
const down = (plan: ResolvedPlan) => tearDown(drivers, plan, 'docker-down');

async function bootExample(
  file: string,
  env: Record<string, string>,
  profiles: string[],
): Promise<{ plan: ResolvedPlan; status: BootStatus }> {
  const name = uniquePlanName('soma');
  plans.push(name);
  const result = importCompose(file, { env: { ...env, COMPOSE_PROJECT_NAME: name }, profiles });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  // The file names no project, so COMPOSE_PROJECT_NAME names the plan: unique per run.
  return { plan: result.plan, status: await boot(result.plan, result.bootOptions) };
}

const service = (status: BootStatus, name: string): ServiceStatus => status.services.find((s) => s.name === name)!;

describe('booting containers from a Compose file through Temporal', () => {
  it('boots wave by wave gated on container health and the migration; down leaves no container or network', async () => {
    const plan = importStack('dboot', stack(0));
    const status = await boot(plan, { strategy: 'waves', onFailure: 'rollback' });
    expect(status.failure).toBeUndefined();
    expect(status.phase).toBe('succeeded');
    expect(service(status, 'migrate').phase).toBe('completed');
    for (const name of ['db', 'cache', 'api']) expect(service(status, name).phase).toBe('healthy');
    // The migration started only once db was healthy; api only once the migration had exited 0.
    expect(service(status, 'migrate').startedAtMs!).toBeGreaterThanOrEqual(service(status, 'db').readyAtMs!);
    expect(service(status, 'api').startedAtMs!).toBeGreaterThanOrEqual(service(status, 'migrate').readyAtMs!);
    expect(planContainers(plan.name)).toEqual(
      ['api', 'cache', 'db', 'migrate'].map((s) => `bootwave-${plan.name}-${s}`),
    );
    // bootwave runs the HEALTHCHECK test itself and may see it pass before the engine's next run of it: the engine
    // follows within its 250 ms interval, and never says anything but starting or healthy meanwhile.
    await waitFor('the engine to report api healthy', async () => {
      const health = inspectField(`bootwave-${plan.name}-api`, '{{.State.Health.Status}}');
      expect(['starting', 'healthy']).toContain(health);
      return health === 'healthy' ? true : undefined;
    });
    expect(inspectField(`bootwave-${plan.name}-migrate`, '{{.State.ExitCode}}')).toBe('0');

    const result = await down(plan);
    expect(result.failed).toEqual([]);
    expect(result.stopped.sort()).toEqual(['api', 'cache', 'db', 'migrate']);
    expect(planContainers(plan.name)).toEqual([]);
    expect(planNetworks(plan.name)).toEqual([]);
  });

  it('blocks dependents on a migration that exits non-zero and rolls back every container it created', async () => {
    const plan = importStack('dfail', stack(5));
    const status = await boot(plan, { strategy: 'waves', onFailure: 'rollback' });
    expect(status.failure).toMatch(
      /^critical service migrate failed: service migrate exited with code 5: migrating \| schema applied/,
    );
    expect(status.phase).toBe('rolled-back');
    expect(service(status, 'api').phase).toBe('skipped');
    expect(planContainers(plan.name)).toEqual([]);
    expect(planNetworks(plan.name)).toEqual([]);
  });

  it('with dag, creates a waiting container before its gate opens and starts it once the gate opens', async () => {
    const plan = importStack('dprep', stack(0));
    const status = await boot(plan, { strategy: 'dag', onFailure: 'rollback' });
    expect(status.failure).toBeUndefined();
    expect(status.phase).toBe('succeeded');
    // api waited for the migration; its container already existed then (created while it waited), and ran after.
    const createdAtMs = Date.parse(inspectField(`bootwave-${plan.name}-api`, '{{.Created}}'));
    const startedAtMs = Date.parse(inspectField(`bootwave-${plan.name}-api`, '{{.State.StartedAt}}'));
    expect(createdAtMs).toBeLessThan(service(status, 'migrate').readyAtMs!);
    expect(startedAtMs).toBeGreaterThanOrEqual(service(status, 'migrate').readyAtMs! - 1);
    expect(service(status, 'api').phase).toBe('healthy');
    await down(plan);
    expect(planContainers(plan.name)).toEqual([]);
  });

  it('with dag, a rollback also removes the containers created for services whose gate never opened', async () => {
    const plan = importStack('dprepfail', stack(5));
    const status = await boot(plan, { strategy: 'dag', onFailure: 'rollback' });
    expect(status.phase).toBe('rolled-back');
    expect(service(status, 'api').phase).toBe('skipped');
    expect(planContainers(plan.name)).toEqual([]);
    expect(planNetworks(plan.name)).toEqual([]);
  });

  it('boots the SomaAgent example stack (core and dev profiles) for real, then down removes it', async () => {
    const { plan, status } = await bootExample(
      'examples/somaagent/docker-compose.yml',
      { GATEWAY_PORT: '18541', UI_PORT: '18542', REDIS_PORT: '18543' },
      ['core', 'dev'],
    );
    expect(status.failure).toBeUndefined();
    expect(status.phase).toBe('succeeded');
    expect(service(status, 'openfga-migrate').phase).toBe('completed');
    expect(service(status, 'openfga').startedAtMs!).toBeGreaterThanOrEqual(
      service(status, 'openfga-migrate').readyAtMs!,
    );
    expect(planContainers(plan.name)).toHaveLength(9);
    const health = await fetch('http://127.0.0.1:18541/health');
    expect(await health.text()).toBe('ok\n');
    const result = await down(plan);
    expect(result.failed).toEqual([]);
    expect(planContainers(plan.name)).toEqual([]);
    expect(planNetworks(plan.name)).toEqual([]);
  });

  it("builds an image the engine lacks from the file's build context (its .dockerignore applied) and boots it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootwave-docker-build-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'app'));
    // The container is healthy only if the build argument reached the build and the ignored file did not.
    writeFileSync(
      join(dir, 'app', 'Dockerfile'),
      [
        'FROM bootwave-test/busybox:1',
        'ARG GREETING=unset',
        'RUN echo "$GREETING" > /greeting',
        'COPY . /ctx/',
        'CMD ["sh", "-c", "grep -qx hello /greeting && test ! -e /ctx/secret.txt && touch /tmp/ready; exec sleep 300"]',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'app', '.dockerignore'), 'secret.txt\n');
    writeFileSync(join(dir, 'app', 'secret.txt'), 'not for the image\n');
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      `services:
  web:
    build: { context: ./app, args: { GREETING: hello } }
    healthcheck: { test: [CMD-SHELL, "test -f /tmp/ready"], interval: 250ms, timeout: 2s, retries: 20 }
    stop_grace_period: 1s
  broken:
    build: { context: ./app, dockerfile: Dockerfile.broken }
    depends_on: { web: { condition: service_healthy } }
`,
    );
    writeFileSync(join(dir, 'app', 'Dockerfile.broken'), 'FROM bootwave-test/busybox:1\nRUN echo building; exit 3\n');
    const name = uniquePlanName('dbuild');
    plans.push(name);
    images.push(`${name}-web`, `${name}-broken`);
    const result = importCompose(file, { env: { COMPOSE_PROJECT_NAME: name } });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.services.find((s) => s.name === 'web')?.target).toMatchObject({ image: `${name}-web` });

    const status = await boot(result.plan, { strategy: 'dag', onFailure: 'halt' });
    expect(service(status, 'web').phase).toBe('healthy');
    expect(docker(['image', 'inspect', '--format', '{{.Id}}', `${name}-web`])).toMatch(/^sha256:/);
    // A Dockerfile that fails is the service's failure, with the builder's own words.
    expect(service(status, 'broken').phase).toBe('failed');
    expect(service(status, 'broken').error).toMatch(
      new RegExp(`^Failed to build image ${name}-broken from ${dir}/app: .*(exit code: 3|returned a non-zero code: 3)`),
    );
    await down(result.plan);
    expect(planContainers(name)).toEqual([]);
  });
});
