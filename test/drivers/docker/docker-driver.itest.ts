import { execFileSync } from 'node:child_process';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver';
import type { DriverContext, ReadinessWatch } from '../../../src/drivers/driver';
import { TerminalServiceError } from '../../../src/errors';
import {
  cleanupPlan,
  ensureDockerForTests,
  dockerService,
  fastHealth,
  inspectField,
  planContainers,
  planNetworks,
  testImages,
  uniquePlanName,
} from '../../support/docker';

const driver = new DockerDriver();
const plans: string[] = [];

function context(prefix: string, bootId = 'boot-1'): DriverContext {
  const plan = uniquePlanName(prefix);
  plans.push(plan);
  return { plan, bootId };
}

function watch(progress: string[] = []): ReadinessWatch {
  return { signal: new AbortController().signal, onProgress: (detail) => progress.push(detail) };
}

beforeAll(() => ensureDockerForTests(), 600_000);

afterAll(() => {
  for (const plan of plans) cleanupPlan(plan);
});

describe('DockerDriver on a real engine', () => {
  it('starts a container on the plan network, reachable by service name, with labels, env, ports and memory limit', async () => {
    const ctx = context('dd-start');
    const web = dockerService(
      'web',
      {
        command: ['sh', '-c', 'echo hello-from-web > /var/www/index.html; exec httpd -f -p 8080 -h /var/www'],
        env: { GREETING: 'hello' },
        ports: [{ hostIp: '127.0.0.1', hostPort: 18611, containerPort: 8080, protocol: 'tcp' }],
      },
      { memoryBytes: 64 * 1024 * 1024 },
    );
    const outcome = await driver.start(ctx, web);
    const name = `bootwave-${ctx.plan}-web`;
    expect(outcome).toEqual({ instance: name, created: true, ownerBootId: 'boot-1' });
    expect(
      inspectField(
        name,
        '{{index .Config.Labels "bootwave.plan"}} {{index .Config.Labels "bootwave.service"}} {{index .Config.Labels "bootwave.boot"}}',
      ),
    ).toBe(`${ctx.plan} web boot-1`);
    expect(inspectField(name, '{{.HostConfig.Memory}}')).toBe(String(64 * 1024 * 1024));
    expect(inspectField(name, '{{range .Config.Env}}{{println .}}{{end}}')).toContain('GREETING=hello');
    expect(inspectField(name, '{{json .NetworkSettings.Ports}}')).toBe(
      '{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"18611"}]}',
    );
    expect(planNetworks(ctx.plan)).toEqual([`bootwave-${ctx.plan}`]);
    expect(await driver.inspect(ctx, web)).toEqual({ phase: 'running', detail: 'running', ownerBootId: ctx.bootId });

    // Another container on the plan network reaches it by service name.
    const client = dockerService('client', {
      command: ['sh', '-c', 'until wget -q -O- http://web:8080/ 2>/dev/null; do sleep 0.2; done; sleep 60'],
    });
    await driver.start(ctx, client);
    await waitFor(async () => (await logs(`bootwave-${ctx.plan}-client`)).includes('hello-from-web'));
  });

  it('gives aliases on every network and network aliases on their own network only', async () => {
    const ctx = context('dd-aliases');
    const web = dockerService('web', {
      command: ['sh', '-c', 'echo hello-from-web > /var/www/index.html; exec httpd -f -p 8080 -h /var/www'],
      networks: ['default', 'backend'],
      aliases: ['the-web'],
      networkAliases: { backend: ['web-internal'] },
    });
    await driver.start(ctx, web);
    const name = `bootwave-${ctx.plan}-web`;
    expect(inspectField(name, `{{json (index .NetworkSettings.Networks "bootwave-${ctx.plan}").Aliases}}`)).toContain(
      '"the-web"',
    );
    expect(
      inspectField(name, `{{json (index .NetworkSettings.Networks "bootwave-${ctx.plan}").Aliases}}`),
    ).not.toContain('web-internal');
    // A container on the second network reaches web by both names; one on the first only by the shared one. (No
    // `wget -T`: this busybox build crashes with it.)
    const probe = [
      'until wget -q -O- http://the-web:8080/ >/dev/null 2>&1; do sleep 0.2; done; echo reached-the-web',
      'if wget -q -O- http://web-internal:8080/ >/dev/null 2>&1; then echo reached-web-internal; else echo missed-web-internal; fi',
      'sleep 60',
    ].join('; ');
    const back = dockerService('back', { command: ['sh', '-c', probe], networks: ['backend'] });
    const front = dockerService('front', { command: ['sh', '-c', probe] });
    await driver.start(ctx, back);
    await driver.start(ctx, front);
    await waitFor(async () => (await logs(`bootwave-${ctx.plan}-back`)).includes('-web-internal'));
    await waitFor(async () => (await logs(`bootwave-${ctx.plan}-front`)).includes('-web-internal'));
    expect(await logs(`bootwave-${ctx.plan}-back`)).toMatch(/reached-the-web\s+reached-web-internal/);
    expect(await logs(`bootwave-${ctx.plan}-front`)).toMatch(/reached-the-web\s+missed-web-internal/);
  });

  it('runs a container with a read-only root filesystem and extra groups', async () => {
    const ctx = context('dd-readonly');
    const svc = dockerService('ro', {
      command: ['sh', '-c', 'touch /probe 2>/dev/null && echo writable || echo read-only; id -G; sleep 60'],
      readOnly: true,
      groupAdd: ['4242'],
    });
    await driver.start(ctx, svc);
    await waitFor(async () => (await logs(`bootwave-${ctx.plan}-ro`)).includes('4242'));
    expect(await logs(`bootwave-${ctx.plan}-ro`)).toMatch(/^read-only\n.*\b4242\b/m);
  });

  it('reuses the container of an earlier start (started again when stopped) and replaces it when the definition changed', async () => {
    const ctx = context('dd-reuse');
    const svc = dockerService('app', { command: ['sleep', '300'] });
    const first = await driver.start(ctx, svc);
    const id = inspectField(first.instance, '{{.Id}}');
    const again = await driver.start({ ...ctx, bootId: 'boot-2' }, svc);
    expect(again).toEqual({ instance: first.instance, created: false, ownerBootId: 'boot-1' });
    expect(inspectField(first.instance, '{{.Id}}')).toBe(id);

    execDocker(['stop', '-t', '0', first.instance]);
    const restarted = await driver.start(ctx, svc);
    expect(restarted.created).toBe(false);
    expect(inspectField(first.instance, '{{.Id}} {{.State.Status}}')).toBe(`${id} running`);

    const changed = dockerService('app', { command: ['sleep', '301'] });
    const replaced = await driver.start({ ...ctx, bootId: 'boot-3' }, changed);
    expect(replaced).toEqual({ instance: first.instance, created: true, ownerBootId: 'boot-3' });
    expect(inspectField(first.instance, '{{.Id}}')).not.toBe(id);
    expect(planContainers(ctx.plan)).toEqual([first.instance]);
  });

  it('shares a service’s network (service:<name>), and replaces the sharer once that service is replaced', async () => {
    const ctx = context('dd-netshare');
    const owner = (command: string) =>
      dockerService('vpn', {
        command: ['sh', '-c', `echo ${command} > /var/www/index.html; exec httpd -f -p 8080 -h /var/www`],
      });
    // Prepared while its owner does not exist yet, as a wave prepares a service waiting for its dependency.
    const sharer = dockerService('app', {
      command: ['sh', '-c', 'while true; do wget -q -O- http://127.0.0.1:8080/ 2>/dev/null; sleep 0.2; done'],
      networkMode: 'service:vpn',
    });
    expect(await driver.prepare(ctx, sharer)).toEqual({ created: true });
    await driver.start(ctx, owner('first-owner'));
    await driver.start(ctx, sharer);
    const sharerName = `bootwave-${ctx.plan}-app`;
    // 127.0.0.1 inside the sharer is the owner's: the owner's server answers there.
    await waitFor(async () => (await logs(sharerName)).includes('first-owner'));
    expect(planNetworks(ctx.plan)).toEqual([`bootwave-${ctx.plan}`]);
    expect(inspectField(sharerName, '{{len .NetworkSettings.Networks}}')).toBe('0');

    // A start with nothing changed keeps the sharer; once the owner is replaced, the sharer is replaced too.
    const firstId = inspectField(sharerName, '{{.Id}}');
    expect((await driver.start({ ...ctx, bootId: 'boot-2' }, sharer)).created).toBe(false);
    await driver.start({ ...ctx, bootId: 'boot-2' }, owner('second-owner'));
    expect(await driver.start({ ...ctx, bootId: 'boot-2' }, sharer)).toEqual({
      instance: sharerName,
      created: true,
      ownerBootId: 'boot-2',
    });
    expect(inspectField(sharerName, '{{.Id}}')).not.toBe(firstId);
    await waitFor(async () => (await logs(sharerName)).includes('second-owner'));
  });

  it('runs a container in the host network (networkMode host): the host reaches its port directly', async () => {
    const ctx = context('dd-nethost');
    const svc = dockerService('web', {
      command: ['sh', '-c', 'echo on-the-host > /var/www/index.html; exec httpd -f -p 18612 -h /var/www'],
      networkMode: 'host',
    });
    await driver.start(ctx, svc);
    expect(inspectField(`bootwave-${ctx.plan}-web`, '{{.HostConfig.NetworkMode}}')).toBe('host');
    expect(planNetworks(ctx.plan)).toEqual([]);
    await waitFor(async () => {
      const body = await fetch('http://127.0.0.1:18612/').then(
        (response) => response.text(),
        () => '',
      );
      return body.includes('on-the-host');
    });
    await driver.stop(ctx, svc);
    expect(planContainers(ctx.plan)).toEqual([]);
  });

  it('prepares a container (created on its networks, not started) that the next start only starts', async () => {
    const ctx = context('dd-prepare');
    const svc = dockerService('app', { command: ['sleep', '300'], networks: ['default', 'backend'] });
    expect(await driver.prepare(ctx, svc)).toEqual({ created: true });
    const name = `bootwave-${ctx.plan}-app`;
    const id = inspectField(name, '{{.Id}}');
    expect(inspectField(name, '{{.State.Status}}')).toBe('created');
    expect(planNetworks(ctx.plan)).toEqual([`bootwave-${ctx.plan}`, `bootwave-${ctx.plan}-backend`]);
    // A second prepare (a retry) leaves what is there alone.
    expect(await driver.prepare(ctx, svc)).toEqual({ created: false });

    expect(await driver.start(ctx, svc)).toEqual({ instance: name, created: true, ownerBootId: ctx.bootId });
    expect(inspectField(name, '{{.Id}} {{.State.Status}}')).toBe(`${id} running`);
    // Once it runs, prepare never touches it, not even for another boot.
    expect(await driver.prepare({ ...ctx, bootId: 'boot-2' }, svc)).toEqual({ created: false });
    expect(inspectField(name, '{{.Id}} {{.State.Status}}')).toBe(`${id} running`);
  });

  it('reports an exited container with its exit code and log tail', async () => {
    const ctx = context('dd-exit');
    const svc = dockerService('crash', {
      command: ['sh', '-c', 'echo starting up; sleep 0.2; echo cannot open config >&2; exit 3'],
    });
    await driver.start(ctx, svc);
    await waitFor(async () => (await driver.inspect(ctx, svc)).phase === 'exited');
    expect(await driver.inspect(ctx, svc)).toEqual({
      phase: 'exited',
      exitCode: 3,
      logTail: 'starting up\ncannot open config\n',
    });
  });

  it('fails at once on a restart-looping container, with exit code and log tail', async () => {
    const ctx = context('dd-loop');
    const svc = dockerService('loop', {
      command: ['sh', '-c', 'echo boom; exit 7'],
      restart: 'always',
      healthcheck: { test: ['CMD', 'true'], timing: fastHealth },
    });
    await driver.start(ctx, svc);
    const error = await driver.awaitNativeReady(ctx, svc, watch()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalServiceError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^container bootwave-${ctx.plan}-loop (is restart-looping \\(restarted \\d+ times, last exit code 7\\)|exited with code 7); last log lines:\\nboom`,
      ),
    );
    // inspect (what the activity polls) reports the loop with the real exit code, whatever moment it looks.
    for (let i = 0; i < 5; i++) {
      const state = await driver.inspect(ctx, svc);
      expect(state.phase === 'exited' && { exitCode: state.exitCode, boom: state.logTail.includes('boom') }).toEqual({
        exitCode: 7,
        boom: true,
      });
    }
  });

  it('runs the HEALTHCHECK test itself, so readiness is seen before the engine next runs it', async () => {
    const ctx = context('dd-fast');
    const svc = dockerService('fast', {
      command: ['sh', '-c', 'sleep 1; touch /tmp/ready; sleep 300'],
      // The engine first runs the test 30 s after the start: the driver must not wait for that.
      healthcheck: { test: ['CMD-SHELL', 'test -f /tmp/ready'], timing: { ...fastHealth, intervalMs: 30_000 } },
    });
    await driver.start(ctx, svc);
    await driver.awaitNativeReady(ctx, svc, watch());
    expect(inspectField(`bootwave-${ctx.plan}-fast`, '{{.State.Health.Status}}')).toBe('starting');
    expect(execFileSync('docker', ['exec', `bootwave-${ctx.plan}-fast`, 'test', '-f', '/tmp/ready']).length).toBe(0);
  });

  it('waits for the container HEALTHCHECK, reporting its state, until the check passes', async () => {
    const ctx = context('dd-health');
    const svc = dockerService('slow', {
      command: ['sh', '-c', 'sleep 1; touch /tmp/ready; sleep 300'],
      healthcheck: { test: ['CMD-SHELL', 'test -f /tmp/ready'], timing: fastHealth },
    });
    await driver.start(ctx, svc);
    const progress: string[] = [];
    await driver.awaitNativeReady(ctx, svc, watch(progress));
    expect(execFileSync('docker', ['exec', `bootwave-${ctx.plan}-slow`, 'test', '-f', '/tmp/ready']).length).toBe(0);
    expect(progress[0]).toBe('container starting');
  });

  it('leaves readiness to the bootwave health check when the service has one', async () => {
    const ctx = context('dd-own');
    const svc = dockerService(
      'own',
      {
        command: ['sleep', '300'],
        healthcheck: { test: ['CMD', 'false'], timing: fastHealth },
      },
      { health: { probe: { kind: 'tcp', host: '127.0.0.1', port: 1 }, timing: fastHealth, preChecks: [] } },
    );
    await driver.start(ctx, svc);
    await expect(driver.awaitNativeReady(ctx, svc, watch())).resolves.toBeUndefined();
  });

  it('a disabled HEALTHCHECK (test NONE) turns off the image’s own, and nothing waits for it', async () => {
    const ctx = context('dd-none');
    // An image whose own HEALTHCHECK always fails, made from the busybox test image.
    const image = `bootwave-test/unhealthy:${ctx.plan}`;
    const base = `${ctx.plan}-base`;
    execFileSync('docker', ['create', '--name', base, testImages.busybox, 'true']);
    try {
      execFileSync('docker', ['commit', '--change', 'HEALTHCHECK --interval=1s CMD false', base, image]);
    } finally {
      execFileSync('docker', ['rm', base]);
    }
    try {
      const svc = dockerService('none', {
        image,
        command: ['sleep', '300'],
        healthcheck: { test: ['NONE'], timing: fastHealth },
      });
      await driver.start(ctx, svc);
      await expect(driver.awaitNativeReady(ctx, svc, watch())).resolves.toBeUndefined();
      const container = `bootwave-${ctx.plan}-none`;
      expect(inspectField(container, '{{json .Config.Healthcheck.Test}}')).toBe('["NONE"]');
      // Past the image's interval: the engine never ran its check, so the container is not reported unhealthy.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(inspectField(container, '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}')).toBe('none');
      expect((await driver.inspect(ctx, svc)).phase).toBe('running');
    } finally {
      cleanupPlan(ctx.plan);
      execFileSync('docker', ['rmi', image]);
    }
  });

  it('fails the HEALTHCHECK wait when the container dies', async () => {
    const ctx = context('dd-die');
    const svc = dockerService('dies', {
      command: ['sh', '-c', 'sleep 1; echo giving up; exit 4'],
      healthcheck: { test: ['CMD', 'false'], timing: fastHealth },
    });
    await driver.start(ctx, svc);
    await expect(driver.awaitNativeReady(ctx, svc, watch())).rejects.toThrow(
      new TerminalServiceError(`container bootwave-${ctx.plan}-dies exited with code 4; last log lines:\ngiving up`),
    );
  });

  it('stop removes the container and, with the last one, the plan network; stopping again is a no-op', async () => {
    const ctx = context('dd-stop');
    const a = dockerService('a', { command: ['sleep', '300'] });
    const b = dockerService('b', { command: ['sleep', '300'], networks: ['default', 'backend'] });
    await driver.start(ctx, a);
    await driver.start(ctx, b);
    expect(planNetworks(ctx.plan)).toEqual([`bootwave-${ctx.plan}`, `bootwave-${ctx.plan}-backend`]);
    expect(await driver.stop(ctx, b)).toEqual({ stopped: true });
    expect(planNetworks(ctx.plan)).toEqual([`bootwave-${ctx.plan}`, `bootwave-${ctx.plan}-backend`]);
    expect(await driver.stop(ctx, a)).toEqual({ stopped: true });
    expect(planContainers(ctx.plan)).toEqual([]);
    expect(planNetworks(ctx.plan)).toEqual([]);
    expect(await driver.stop(ctx, a)).toEqual({ stopped: false });
    expect(await driver.inspect(ctx, a)).toEqual({ phase: 'absent' });
  });

  it('names a missing image that cannot be pulled', async () => {
    const ctx = context('dd-image');
    const svc = dockerService('ghost', { image: 'bootwave-test/no-such-image:1' });
    const error = await driver.start(ctx, svc).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalServiceError);
    expect((error as Error).message).toMatch(
      /^image bootwave-test\/no-such-image:1 not found locally and could not be pulled: .+/,
    );
    expect(planContainers(ctx.plan)).toEqual([]);
  });

  it('runs the redis image and its redis-cli HEALTHCHECK', async () => {
    const ctx = context('dd-redis');
    const svc = dockerService('redis', {
      image: testImages.redis,
      command: ['redis-server', '--port', '6379', '--save', ''],
      ports: [{ hostIp: '127.0.0.1', hostPort: 18612, containerPort: 6379, protocol: 'tcp' }],
      healthcheck: { test: ['CMD', 'redis-cli', 'ping'], timing: fastHealth },
    });
    await driver.start(ctx, svc);
    await driver.awaitNativeReady(ctx, svc, watch());
    expect(execDocker(['exec', `bootwave-${ctx.plan}-redis`, 'redis-cli', 'ping'])).toBe('PONG');
  });
});

function execDocker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

async function logs(container: string): Promise<string> {
  return execDocker(['logs', container]);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
