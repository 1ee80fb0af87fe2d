import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { BootClient } from '../../src/client/boot-client';
import type { StackStatus, SupervisedService } from '../../src/contract/supervision';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { stateRoot } from '../../src/drivers/process/process-state';
import { defaultSupervision } from '../../src/plan/defaults';
import type { ResolvedPlan, SupervisionSpec } from '../../src/plan/types';
import { tearDown, withWorker } from '../support/boot-worker';
import { fixturePlan, type FixtureService } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const countLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
const drivers = () => ({ process: new ProcessDriver() });

/** A plan of real processes with fast supervision settings; `startLog(service)` counts each service's starts. */
function supervisedPlan(
  name: string,
  services: Record<string, FixtureService>,
  supervision: Partial<SupervisionSpec> = {},
) {
  const dir = freshDir(`${name}-starts`);
  const startLog = (service: string) => join(dir, `${service}.starts`);
  const fixture = fixturePlan(
    name,
    ['all'],
    Object.fromEntries(
      Object.entries(services).map(([service, spec]) => [service, { ...spec, startLog: startLog(service) }]),
    ),
  );
  const plan: ResolvedPlan = {
    ...fixture.plan,
    services: fixture.plan.services.map((service) => ({
      ...service,
      supervision: { ...defaultSupervision, backoff: { initialMs: 200, maxMs: 2000, factor: 2 }, ...supervision },
    })),
  };
  return { ...fixture, plan, startLog };
}

/** The service's own process (the child of bootwave's `sh` supervisor), killed the way `kill -9 <pid>` would. */
function kill9(plan: ResolvedPlan, service: string): number {
  const record = JSON.parse(
    readFileSync(join(stateRoot(), 'processes', plan.name, service, 'process.json'), 'utf8'),
  ) as { pid: number };
  const children = readFileSync(`/proc/${record.pid}/task/${record.pid}/children`, 'utf8').trim().split(/\s+/);
  const pid = Number(children[0]);
  process.kill(pid, 'SIGKILL');
  return pid;
}

const serviceOf = (status: StackStatus, name: string): SupervisedService =>
  status.services.find((s) => s.name === name)!;

async function supervising(client: BootClient, plan: ResolvedPlan, options: Parameters<BootClient['up']>[1] = {}) {
  // The default IDs (bootwave-stack-<plan>, bootwave-<plan>): `down` finds the stack by the plan's name.
  const { stack, boot } = await client.up(plan, options);
  const booted = await boot.result();
  expect(booted.phase).toBe('succeeded');
  await waitFor('supervising', async () => ((await stack.status()).phase === 'supervising' ? true : undefined));
  return stack;
}

describe('stack workflow: supervision after the boot', () => {
  it('restarts a kill -9ed dependency once, blocks its dependent meanwhile and restarts it after; down ends supervision first', async () => {
    const { plan, startLog } = supervisedPlan('sup-kill', {
      db: {},
      api: { dependsOn: ['db'] },
    });
    // A longer first backoff for db leaves time to see api blocked by it.
    plan.services[0]!.supervision = {
      ...plan.services[0]!.supervision!,
      backoff: { initialMs: 1500, maxMs: 2000, factor: 2 },
    };
    const taskQueue = uniqueTaskQueue('sup-kill');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        const stack = await supervising(client, plan);
        const killedAt = Date.now();
        kill9(plan, 'db');
        const seen = await waitFor('db restarting and api blocked by db', async () => {
          const status = await stack.status();
          const db = serviceOf(status, 'db');
          const api = serviceOf(status, 'api');
          return db.phase === 'restarting' && api.blockedBy.includes('db') ? { db, api, at: Date.now() } : undefined;
        });
        // Detection within the probe interval (200 ms) plus a second.
        expect(seen.at - killedAt).toBeLessThan(1200 + 1000);
        expect(seen.db.lastExit?.exitCode).toBe(137);
        expect(seen.db.message).toMatch(/^last exit 137/);

        const after = await waitFor(
          'db and api healthy again',
          async () => {
            const status = await stack.status();
            const [db, api] = [serviceOf(status, 'db'), serviceOf(status, 'api')];
            return db.phase === 'healthy' && api.phase === 'healthy' && api.restarts === 1 && api.blockedBy.length === 0
              ? status
              : undefined;
          },
          30_000,
        );
        expect(serviceOf(after, 'db').restarts).toBe(1);
        // Nothing restarts twice: a little later the counts are the same.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(countLines(startLog('db'))).toBe(2);
        expect(countLines(startLog('api'))).toBe(2);
        const later = await stack.status();
        expect([serviceOf(later, 'db').restarts, serviceOf(later, 'api').restarts]).toEqual([1, 1]);

        // `down` (the teardown workflow, on a worker of its own) ends supervision before it stops anything, so
        // nothing is restarted: the stack's worker still runs here.
        const down = await tearDown(drivers(), plan, 'sup-down');
        expect(down.supervisionEnded).toBe(true);
        expect(down.stopped.sort()).toEqual(['api', 'db']);
        expect(await stack.status()).toMatchObject({ phase: 'ended', endReason: 'down' });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      });

      expect(countLines(startLog('db'))).toBe(2);
    } finally {
      await client.close();
      await stopAll(plan);
    }
  });

  it('restarts a kill -9ed service without a check: the start finds it running and settles its readiness, with no probe', async () => {
    const { plan, startLog } = supervisedPlan('sup-nocheck', { plain: { noCheck: true } });
    const taskQueue = uniqueTaskQueue('sup-nocheck');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        const stack = await supervising(client, plan);
        kill9(plan, 'plain');
        await waitFor(
          'plain restarted and healthy',
          async () => {
            const plain = serviceOf(await stack.status(), 'plain');
            return plain.phase === 'healthy' && plain.restarts === 1 ? plain : undefined;
          },
          30_000,
        );
        expect(countLines(startLog('plain'))).toBe(2);
        const history = await client.client.workflow.getHandle(stack.workflowId).fetchHistory();
        // The restart's activities carry a summary ("stop plain"); the watch's do not.
        const scheduled = (history.events ?? []).flatMap((event) => {
          const summary = event.activityTaskScheduledEventAttributes && event.userMetadata?.summary?.data;
          return summary ? [JSON.parse(Buffer.from(summary).toString()) as string] : [];
        });
        expect(scheduled.filter((summary) => summary.endsWith(' plain'))).toEqual(['stop plain', 'start plain']);
        await stack.end('test over');
      });
    } finally {
      await client.close();
      await stopAll(plan);
    }
  });

  it('gives up on a crash loop at its limit with the exit code and log tail, until an operator restarts it', async () => {
    const { plan, startLog } = supervisedPlan(
      'sup-loop',
      { flaky: { args: ['--exit-after', '1200', '--exit-code', '3'] } },
      { startLimitBurst: 2, startLimitIntervalMs: 60_000 },
    );
    const taskQueue = uniqueTaskQueue('sup-loop');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        const stack = await supervising(client, plan);
        const flaky = await waitFor(
          'crash loop',
          async () => {
            const service = serviceOf(await stack.status(), 'flaky');
            return service.phase === 'crash-loop' ? service : undefined;
          },
          30_000,
        );
        expect(flaky.restarts).toBe(2);
        expect(flaky.message).toMatch(
          /^crash loop \(2 restarts in 1m, last exit 3: .*flaky: listening on .*\| flaky: exiting with code 3 as asked\)$/,
        );
        expect(flaky.lastExit?.exitCode).toBe(3);
        expect(countLines(startLog('flaky'))).toBe(3);
        // It stays given up: no further start.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        expect(serviceOf(await stack.status(), 'flaky').phase).toBe('crash-loop');
        expect(countLines(startLog('flaky'))).toBe(3);

        const restarted = await stack.restart('flaky');
        expect(restarted).toMatchObject({ phase: 'healthy', restarts: 3 });
        expect(countLines(startLog('flaky'))).toBe(4);
        await expect(stack.restart('nope')).rejects.toThrow(/^no service nope in plan sup-loop$/);
        await stack.end('test over');
      });
    } finally {
      await client.close();
      await stopAll(plan);
    }
  });

  it('continues as new with its state, and the first run replays', async () => {
    const { plan } = supervisedPlan('sup-can', { one: {} });
    const taskQueue = uniqueTaskQueue('sup-can');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        const stack = await supervising(client, plan, { maxHistoryEvents: 60, watchWindowMs: 300 });
        const firstRunId = (await stack.workflow.describe()).runId;
        kill9(plan, 'one');
        await waitFor(
          'restarted, then a new run',
          async () => {
            const status = await stack.status();
            return status.runs >= 1 && serviceOf(status, 'one').restarts === 1 ? status : undefined;
          },
          60_000,
        );
        const status = await stack.status();
        expect(serviceOf(status, 'one')).toMatchObject({ phase: 'healthy', restarts: 1 });
        const history = await client.client.workflow.getHandle(stack.workflowId, firstRunId).fetchHistory();
        expect(history.events?.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
        await Worker.runReplayHistory(
          { workflowBundle: { codePath: requireTestEnv('bundle') } },
          history,
          stack.workflowId,
        );
        await stack.end('test over');
      });
    } finally {
      await client.close();
      await stopAll(plan);
    }
  });
});

async function stopAll(plan: ResolvedPlan) {
  for (const service of plan.services) await new ProcessDriver().stop({ plan: plan.name, bootId: '' }, service);
}
