import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidStartTicks } from '../../../src/drivers/process/proc-info';
import { ProcessDriver } from '../../../src/drivers/process/process-driver';
import { ServiceFiles } from '../../../src/drivers/process/process-state';
import type { ServiceSpec } from '../../../src/plan/types';
import { isListening } from '../../support/net';
import { healthService, testPort } from '../../support/plan-fixture';
import { freshDir } from '../../support/test-env';
import { waitFor } from '../../support/wait-for';

const pidOf = (instance: string) => Number(instance.replace('pid ', ''));
// Not `kill(pid, 0)`: a stopped child of this test process stays a zombie until node reaps it.
const alive = (pid: number) => pidStartTicks(pid) !== undefined;

function processService(name: string, command: string[]): ServiceSpec {
  return {
    name,
    wave: 'w',
    target: { driver: 'process', command, env: {}, stopGraceMs: 2000 },
    dependsOn: [],
    critical: true,
    oneShot: false,
    startTimeoutMs: 10_000,
    expectedStartMs: 100,
    profiles: [],
  };
}

describe('ProcessDriver on real processes', () => {
  const root = freshDir('process-driver');
  const ctx = { plan: `pd-${randomUUID().slice(0, 6)}`, bootId: 'boot-a' };

  it('starts once: a second start (a retry, or a new worker after a crash) finds the same process', async () => {
    const port = testPort();
    const service = processService('web', ['node', healthService, '--name', 'web', '--port', String(port)]);
    const first = await new ProcessDriver(root).start(ctx, service);
    expect(first).toMatchObject({ created: true, ownerBootId: 'boot-a' });
    await waitFor('listening', async () => ((await isListening(port)) ? true : undefined));
    // A fresh driver instance holds no memory of the first: only what is on disk and in /proc.
    const second = await new ProcessDriver(root).start({ ...ctx, bootId: 'boot-b' }, service);
    expect(second).toEqual({ instance: first.instance, created: false, ownerBootId: 'boot-a' });
    expect(await new ProcessDriver(root).inspect(ctx, service)).toEqual({
      phase: 'running',
      detail: first.instance,
      ownerBootId: 'boot-a',
    });

    expect(await new ProcessDriver(root).stop(ctx, service)).toEqual({ stopped: true });
    expect(alive(pidOf(first.instance))).toBe(false);
    expect(await isListening(port)).toBe(false);
    expect(await new ProcessDriver(root).stop(ctx, service)).toEqual({ stopped: false });
    expect(await new ProcessDriver(root).inspect(ctx, service)).toEqual({ phase: 'absent' });
  });

  it('a supervisor killed alone leaves its service behind: stop and the next start end it, so its port is free', async () => {
    const port = testPort();
    const service = processService('orphaned', ['node', healthService, '--name', 'orphaned', '--port', String(port)]);
    const driver = new ProcessDriver(root);
    const first = await driver.start(ctx, service);
    await waitFor('listening', async () => ((await isListening(port)) ? true : undefined));
    // `kill -9` of the supervisor shell only (what `pgrep -f <service>` finds first): node keeps the port.
    process.kill(pidOf(first.instance), 'SIGKILL');
    await waitFor('supervisor gone', async () => (alive(pidOf(first.instance)) ? undefined : true));
    expect(await isListening(port)).toBe(true);

    const again = await driver.start(ctx, service);
    expect(again.created).toBe(true);
    await waitFor('the new service listening', async () =>
      (await driver.inspect(ctx, service)).phase === 'running' && (await isListening(port)) ? true : undefined,
    );
    expect(readFileSync(new ServiceFiles(root, ctx.plan, 'orphaned').log, 'utf8')).not.toMatch(/EADDRINUSE/);

    process.kill(pidOf(again.instance), 'SIGKILL');
    await waitFor('second supervisor gone', async () => (alive(pidOf(again.instance)) ? undefined : true));
    expect(await driver.stop(ctx, service)).toEqual({ stopped: true });
    await waitFor('port free', async () => ((await isListening(port)) ? undefined : true));
  });

  it('adopts the process of a start that crashed between spawning it and recording it', async () => {
    const service = processService('crashy', ['sleep', '300']);
    const driver = new ProcessDriver(root);
    const first = await driver.start(ctx, service);
    // What a crash right after the spawn leaves: the start's intent, but no record.
    const files = new ServiceFiles(root, ctx.plan, service.name);
    files.removeRecord();
    files.markStarting();
    const second = await new ProcessDriver(root).start({ ...ctx, bootId: 'boot-b' }, service);
    expect(second).toEqual({ instance: first.instance, created: false, ownerBootId: 'boot-a' });
    expect(files.startWasInterrupted()).toBe(false);
    expect(await driver.stop(ctx, service)).toEqual({ stopped: true });
    expect(alive(pidOf(first.instance))).toBe(false);
  });

  it('stop finds and stops the process of a start interrupted before it was recorded', async () => {
    const service = processService('interrupted', ['sleep', '300']);
    const first = await new ProcessDriver(root).start(ctx, service);
    const files = new ServiceFiles(root, ctx.plan, service.name);
    files.removeRecord();
    files.markStarting();
    expect(await new ProcessDriver(root).stop(ctx, service)).toEqual({ stopped: true });
    expect(alive(pidOf(first.instance))).toBe(false);
    expect(files.startWasInterrupted()).toBe(false);
  });

  it('replaces a process whose definition changed', async () => {
    const port = testPort();
    const before = processService('api', ['node', healthService, '--name', 'api', '--port', String(port)]);
    const after = processService('api', [
      'node',
      healthService,
      '--name',
      'api',
      '--port',
      String(port),
      '--start-delay',
      '10',
    ]);
    const driver = new ProcessDriver(root);
    const first = await driver.start(ctx, before);
    const second = await driver.start(ctx, after);
    expect(second.created).toBe(true);
    expect(second.instance).not.toBe(first.instance);
    expect(alive(pidOf(first.instance))).toBe(false);
    await driver.stop(ctx, after);
  });

  it('records the exit code and the end of the log of a process that exits', async () => {
    const service = processService('job', ['sh', '-c', 'echo preparing; echo "fatal: no config" >&2; exit 7']);
    const driver = new ProcessDriver(root);
    await driver.start(ctx, service);
    const state = await waitFor('exited', async () => {
      const current = await driver.inspect(ctx, service);
      return current.phase === 'exited' ? current : undefined;
    });
    expect(state).toEqual({ phase: 'exited', exitCode: 7, logTail: 'preparing\nfatal: no config' });
    await driver.stop(ctx, service);
  });

  it('never interprets plan values with a shell', async () => {
    const marker = join(root, 'should-not-exist');
    const service = processService('echo', ['echo', `$(touch ${marker})`, '; touch', marker]);
    const driver = new ProcessDriver(root);
    await driver.start(ctx, service);
    const state = await waitFor('exited', async () => {
      const current = await driver.inspect(ctx, service);
      return current.phase === 'exited' ? current : undefined;
    });
    expect(state).toEqual({ phase: 'exited', exitCode: 0, logTail: `$(touch ${marker}) ; touch ${marker}` });
    expect(existsSync(marker)).toBe(false);
    await driver.stop(ctx, service);
  });

  describe('a retried start of a one-shot', () => {
    const runs = (file: string) =>
      existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
    function counted(name: string, options: { oneShot: boolean }) {
      const file = join(root, `${name}.runs`);
      return { file, service: { ...processService(name, ['sh', '-c', 'echo run >> "$0"', file]), ...options } };
    }
    async function exited(driver: ProcessDriver, context: typeof ctx, service: ServiceSpec) {
      return waitFor('exited', async () => {
        const state = await driver.inspect(context, service);
        return state.phase === 'exited' ? state : undefined;
      });
    }

    it('reports the completed run of the same boot instead of running it again', async () => {
      const { file, service } = counted('migrate-once', { oneShot: true });
      const first = await new ProcessDriver(root).start(ctx, service);
      expect(await exited(new ProcessDriver(root), ctx, service)).toMatchObject({ exitCode: 0 });
      const retried = await new ProcessDriver(root).start(ctx, service);
      expect(retried).toEqual({ instance: first.instance, created: false, ownerBootId: 'boot-a' });
      expect(await new ProcessDriver(root).inspect(ctx, service)).toMatchObject({ phase: 'exited', exitCode: 0 });
      expect(runs(file)).toBe(1);
      // The next boot runs it again.
      const nextBoot = { ...ctx, bootId: 'boot-b' };
      expect(await new ProcessDriver(root).start(nextBoot, service)).toMatchObject({
        created: true,
        ownerBootId: 'boot-b',
      });
      await exited(new ProcessDriver(root), nextBoot, service);
      expect(runs(file)).toBe(2);
      await new ProcessDriver(root).stop(ctx, service);
    });

    it('knows the run when the worker died after spawning it and before recording it', async () => {
      const { file, service } = counted('migrate-unrecorded', { oneShot: true });
      const first = await new ProcessDriver(root).start(ctx, service);
      await exited(new ProcessDriver(root), ctx, service);
      const files = new ServiceFiles(root, ctx.plan, service.name);
      files.removeRecord();
      files.markStarting();
      expect(await new ProcessDriver(root).start(ctx, service)).toEqual({
        instance: first.instance,
        created: false,
        ownerBootId: 'boot-a',
      });
      expect(await new ProcessDriver(root).inspect(ctx, service)).toMatchObject({ phase: 'exited', exitCode: 0 });
      expect(files.startWasInterrupted()).toBe(false);
      expect(runs(file)).toBe(1);
      expect(await new ProcessDriver(root).stop(ctx, service)).toEqual({ stopped: false });
    });

    it('runs a one-shot that failed, and a service that exited, again', async () => {
      const failing = { ...processService('migrate-failing', ['sh', '-c', 'exit 3']), oneShot: true };
      const { file, service: exiting } = counted('exits-early', { oneShot: false });
      for (const service of [failing, exiting]) {
        const driver = new ProcessDriver(root);
        await driver.start(ctx, service);
        await exited(driver, ctx, service);
        expect(await new ProcessDriver(root).start(ctx, service)).toMatchObject({ created: true });
        await exited(driver, ctx, service);
        await driver.stop(ctx, service);
      }
      expect(runs(file)).toBe(2);
    });
  });

  it('a stop leaves the supervisor to reap its service and record how it ended: nothing is orphaned to init', async () => {
    const service = processService('reaped', ['sleep', '60']);
    const driver = new ProcessDriver(root);
    const started = await driver.start(ctx, service);
    const supervisor = pidOf(started.instance);
    await waitFor(
      'the service runs under its supervisor',
      async () => readFileSync(`/proc/${supervisor}/task/${supervisor}/children`, 'utf8').trim() || undefined,
    );
    expect(await driver.stop(ctx, service)).toEqual({ stopped: true });
    // Written by the supervisor after the service ended: it outlived the SIGTERM and waited for its child.
    expect(new ServiceFiles(root, ctx.plan, 'reaped').readExit()).toMatchObject({ code: 143, pid: supervisor });
  });

  it('stops the whole process group, escalating to SIGKILL after the grace period', async () => {
    // The child ignores SIGTERM: only SIGKILL after the grace period ends it.
    const service = {
      ...processService('stubborn', ['sh', '-c', "trap '' TERM; sleep 60 & wait"]),
      target: {
        driver: 'process' as const,
        command: ['sh', '-c', "trap '' TERM; sleep 60 & wait"],
        env: {},
        stopGraceMs: 300,
      },
    };
    const driver = new ProcessDriver(root);
    const started = await driver.start(ctx, service);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await driver.stop(ctx, service)).toEqual({ stopped: true });
    expect(alive(pidOf(started.instance))).toBe(false);
  });
});
