import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import { pidStartTicks } from '../../src/drivers/process/proc-info';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { ServiceFiles, stateRoot } from '../../src/drivers/process/process-state';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { freePort } from '../../src/temporal/free-port';
import type { BootStatus } from '../../src/contract/status';
import { isListening } from '../support/net';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';
import { waitFor } from '../support/wait-for';

const countLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

/** A plan whose second wave probes for a while, so a crash lands mid-probe. */
function slowPlan(name: string) {
  const dir = freshDir(`${name}-starts`);
  const startLog = (service: string) => join(dir, `${service}.starts`);
  const fixture = fixturePlan(name, ['data', 'apps'], {
    db: { wave: 'data', startLog: startLog('db') },
    api: { wave: 'apps', dependsOn: ['db'], startLog: startLog('api'), args: ['--start-delay', '4000'] },
    web: { wave: 'apps', dependsOn: ['api'], startLog: startLog('web') },
  });
  return { ...fixture, startLog };
}

async function stopAll(plan: ReturnType<typeof slowPlan>['plan']) {
  for (const service of plan.services) await new ProcessDriver().stop({ plan: plan.name, bootId: '' }, service);
}

describe('durability', () => {
  it('finishes a boot after the worker is killed -9 mid-probe, starting nothing twice', async () => {
    const { plan, ports, startLog } = slowPlan('crash-worker');
    const taskQueue = uniqueTaskQueue('crash');
    const logFile = join(freshDir('crash-worker-logs'), 'worker.log');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    let worker = await WorkerProcess.start({ taskQueue, logFile });
    try {
      const handle = await client.start(plan, { strategy: 'waves', workflowId: `crash-${taskQueue}` });
      await waitFor('api probing', async () => {
        const status = await handle.status();
        return status.services.find((s) => s.name === 'api')?.phase === 'probing' ? true : undefined;
      });
      await worker.kill();
      expect(await isListening(ports.db!)).toBe(true); // the services outlive the worker
      worker = await WorkerProcess.start({ taskQueue, logFile });
      const result: BootStatus = await handle.result();
      expect(result.phase).toBe('succeeded');
      for (const name of ['db', 'api', 'web'])
        expect({ name, starts: countLines(startLog(name)) }).toEqual({ name, starts: 1 });
    } finally {
      await worker.stop();
      await client.close();
      await stopAll(plan);
    }
  });

  it('finishes a boot after the worker is killed -9 in the middle of a batch of starts, starting nothing twice', async () => {
    const dir = freshDir('crash-batch-starts');
    const startLog = (service: string) => join(dir, `${service}.starts`);
    const { plan, ports } = fixturePlan('crash-batch', ['data'], {
      db: { startLog: startLog('db') },
      cache: { startLog: startLog('cache') },
    });
    // cache's start waits while another live process holds its start lock (as a worker's attempt still running
    // would): the batch is in flight with db started and cache not yet.
    const holder = spawn('sleep', ['300'], { stdio: 'ignore' });
    const lockDir = new ServiceFiles(stateRoot(), plan.name, 'cache').dir;
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'start.lock'), `${holder.pid} ${pidStartTicks(holder.pid!)}`);
    const taskQueue = uniqueTaskQueue('crash-batch');
    const logFile = join(freshDir('crash-batch-logs'), 'worker.log');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    let worker = await WorkerProcess.start({ taskQueue, logFile });
    try {
      const handle = await client.start(plan, { strategy: 'waves', workflowId: `crash-batch-${taskQueue}` });
      await waitFor('db started', async () => (existsSync(startLog('db')) ? true : undefined));
      await worker.kill();
      holder.kill('SIGKILL');
      worker = await WorkerProcess.start({ taskQueue, logFile });
      const result: BootStatus = await handle.result();
      expect(result.phase).toBe('succeeded');
      for (const name of ['db', 'cache'])
        expect({ name, starts: countLines(startLog(name)) }).toEqual({ name, starts: 1 });
      expect(await isListening(ports.cache!)).toBe(true);
      // Both starts were one activity, retried as one after the kill.
      const history = await client.client.workflow.getHandle(result.waves[0]!.workflowId).fetchHistory();
      const types = (history.events ?? []).flatMap(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
      );
      expect(types.filter((type) => type.startsWith('start'))).toEqual(['startServices']);
      // …and the kill did land inside it: the attempt that completed is a retry.
      const attempts = (history.events ?? []).flatMap((e) => e.activityTaskStartedEventAttributes?.attempt ?? []);
      expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
    } finally {
      holder.kill('SIGKILL');
      await worker.stop();
      await client.close();
      await stopAll(plan);
    }
  });

  it('a worker stopped with SIGTERM mid-probe exits at once and the next worker resumes the probe', async () => {
    const { plan, startLog } = slowPlan('drain-worker');
    const taskQueue = uniqueTaskQueue('drain');
    const logs = freshDir('drain-worker-logs');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    const first = await WorkerProcess.start({ taskQueue, logFile: join(logs, 'first.log') });
    let second: WorkerProcess | undefined;
    try {
      const handle = await client.start(plan, { strategy: 'waves', workflowId: `drain-${taskQueue}` });
      await waitFor('api probing', async () => {
        const status = await handle.status();
        return status.services.find((s) => s.name === 'api')?.phase === 'probing' ? true : undefined;
      });
      const stoppingAtMs = Date.now();
      await first.stop(); // SIGTERM
      // The probe handed over instead of holding the worker for the 5 s shutdown grace.
      expect(Date.now() - stoppingAtMs).toBeLessThan(3000);
      second = await WorkerProcess.start({ taskQueue, logFile: join(logs, 'second.log') });
      const secondStartedAtMs = await second.started();
      const result: BootStatus = await handle.result();
      expect(result.phase).toBe('succeeded');
      for (const name of ['db', 'api', 'web'])
        expect({ name, starts: countLines(startLog(name)) }).toEqual({ name, starts: 1 });
      // Resumed from the heartbeat: the probe's duration counts from its start on the first worker, so it is longer
      // than the second worker has run; a probe begun afresh there would be shorter. (No margin on top: how long
      // the hand-over and the second worker's start take is not what this checks.)
      // The worker's log is written asynchronously: wait for the line rather than read before it is flushed.
      const healthyLines = () =>
        readFileSync(join(logs, 'second.log'), 'utf8')
          .split('\n')
          .filter((line) => line.includes('"service healthy"') && line.includes('"service":"api"'))
          .map((line) => JSON.parse(line) as { time: number; durationMs: number });
      const healthy = await waitFor('the second worker logs api healthy', async () => {
        const lines = healthyLines();
        return lines.length > 0 ? lines : undefined;
      });
      expect(healthy).toHaveLength(1);
      expect(healthy[0]!.durationMs).toBeGreaterThan(healthy[0]!.time - secondStartedAtMs);
    } finally {
      await first.kill();
      await second?.stop();
      await client.close();
      await stopAll(plan);
    }
  });

  it('finishes a boot after the Temporal server is killed and restarted on its database', async () => {
    const { plan, startLog } = slowPlan('crash-server');
    const source = { kind: 'binary' as const, path: requireTestEnv('temporalBin'), how: 'test' };
    const dir = freshDir('crash-server-temporal');
    const port = await freePort();
    const serverOptions = {
      source,
      dbFile: join(dir, 'temporal.db'),
      logFile: join(dir, 'server.log'),
      port,
      startTimeoutMs: 120_000,
    };
    let server: DevServer = await startDevServer(serverOptions);
    const taskQueue = uniqueTaskQueue('crash-server');
    const worker = await WorkerProcess.start({ taskQueue, logFile: join(dir, 'worker.log'), address: server.address });
    const client = await BootClient.connect({ address: server.address, taskQueue });
    try {
      const handle = await client.start(plan, { strategy: 'waves', workflowId: `crash-server-${taskQueue}` });
      await waitFor('api probing', async () =>
        (await handle.status()).services.find((s) => s.name === 'api')?.phase === 'probing' ? true : undefined,
      );
      process.kill(server.pid!, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      server = await startDevServer(serverOptions);
      const result = await waitFor('boot result after restart', () => client.boot(handle.workflowId).result(), 120_000);
      expect(result.phase).toBe('succeeded');
      for (const name of ['db', 'api', 'web'])
        expect({ name, starts: countLines(startLog(name)) }).toEqual({ name, starts: 1 });
    } finally {
      await worker.stop();
      await client.close();
      await server.stop();
      await stopAll(plan);
    }
  });
});
