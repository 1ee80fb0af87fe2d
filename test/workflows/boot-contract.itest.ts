import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { BootClient, BootControlRefusedError } from '../../src/client/boot-client';
import { bootStatusQuery } from '../../src/contract/messages';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import type { ResolvedPlan } from '../../src/plan/types';
import { renderFrame } from '../../src/cli/progress-view';
import { withWorker } from '../support/boot-worker';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const drivers = { process: new ProcessDriver() };
const booted: ResolvedPlan[] = [];
afterAll(async () => {
  for (const plan of booted)
    for (const s of plan.services) await drivers.process.stop({ plan: plan.name, bootId: '' }, s);
});

/** A raw Temporal client, as the Temporal CLI or another language's SDK would start a boot: no bootwave code. */
async function rawClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: requireTestEnv('address') });
  return { client: new Client({ connection }), close: () => connection.close() };
}

describe('what a boot workflow accepts and answers', () => {
  it('refuses a structurally bad input at once, listing every problem, and starts nothing', async () => {
    const { plan } = fixturePlan('bad-input', ['only'], { a: {} });
    const broken = JSON.parse(JSON.stringify(plan)) as Record<string, unknown> & { services: { target: unknown }[] };
    broken.waves = 'nope';
    broken.services[0]!.target = { driver: 'podman', command: ['x'] };
    const taskQueue = uniqueTaskQueue('bad-input');
    const raw = await rawClient();
    try {
      const error = await withWorker({ taskQueue, drivers }, () =>
        raw.client.workflow
          .execute('bootWorkflow', { taskQueue, workflowId: `bad-${taskQueue}`, args: [{ plan: broken }] })
          .then(
            () => undefined,
            (e: unknown) => e,
          ),
      );
      expect(error).toBeInstanceOf(WorkflowFailedError);
      const cause = (error as WorkflowFailedError).cause as Error & { type?: string; nonRetryable?: boolean };
      expect(cause.message).toBe(
        'invalid boot input (2 problems):\n- plan.waves: expected a list, got string "nope"\n' +
          '- plan.services[0].target.driver: unknown driver "podman": expected one of process, docker, kubernetes',
      );
      expect(cause).toMatchObject({ type: 'PlanError', nonRetryable: true });
      expect(await drivers.process.inspect({ plan: plan.name, bootId: '' }, plan.services[0]!)).toEqual({
        phase: 'absent',
      });
    } finally {
      await raw.close();
    }
  });

  it('boots a bare plan started without the { plan, options } wrapper', async () => {
    const { plan } = fixturePlan('bare-input', ['only'], { a: {} });
    booted.push(plan);
    const taskQueue = uniqueTaskQueue('bare');
    const raw = await rawClient();
    try {
      const result = await withWorker({ taskQueue, drivers }, () =>
        raw.client.workflow.execute('bootWorkflow', { taskQueue, workflowId: `bare-${taskQueue}`, args: [plan] }),
      );
      expect(result).toMatchObject({ phase: 'succeeded', strategy: 'dag', onFailure: 'rollback' });
    } finally {
      await raw.close();
    }
  });

  it('answers its own status query live: a service is healthy while its wave still runs', async () => {
    const { plan } = fixturePlan('live-query', ['only'], {
      quick: {},
      slow: { args: ['--start-delay', '4000'] },
    });
    booted.push(plan);
    const taskQueue = uniqueTaskQueue('live-query');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers }, async () => {
        const handle = await client.start(plan, { workflowId: `live-query-${taskQueue}` });
        // The boot's own query, as `temporal workflow query --name status` asks it: no merging on the client.
        const seen = await waitFor('quick healthy in the boot query', async () => {
          const status = await handle.workflow.query(bootStatusQuery);
          return status.services.find((s) => s.name === 'quick')?.phase === 'healthy' ? status : undefined;
        });
        expect(seen.waves[0]!.phase).toBe('running');
        expect(seen.services.find((s) => s.name === 'slow')?.phase).toBe('probing');
        expect((await handle.result()).phase).toBe('succeeded');
      });
    } finally {
      await client.close();
    }
  });

  it('answers pause and resume with the new state, and refuses them once the boot has finished', async () => {
    const { plan } = fixturePlan('updates', ['first', 'second'], {
      a: { wave: 'first', args: ['--start-delay', '1500'] },
      b: { wave: 'second' },
    });
    booted.push(plan);
    const taskQueue = uniqueTaskQueue('updates');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers }, async () => {
        const handle = await client.start(plan, { strategy: 'waves', workflowId: `updates-${taskQueue}` });
        // Paused once the first wave runs: the boot holds before the next one (a pause at once holds the first).
        await waitFor('a started', async () =>
          (await handle.status()).waves[0]!.phase === 'running' ? true : undefined,
        );
        expect(await handle.pause()).toEqual({ phase: 'running', paused: true, cancelRequested: false });
        await waitFor('a healthy', async () =>
          (await handle.status()).services.find((s) => s.name === 'a')?.phase === 'healthy' ? true : undefined,
        );
        expect((await handle.status()).services.find((s) => s.name === 'b')?.phase).toBe('pending');
        expect(await handle.resume()).toEqual({ phase: 'running', paused: false, cancelRequested: false });
        expect((await handle.result()).phase).toBe('succeeded');
        const refused = await handle.pause().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(refused).toBeInstanceOf(BootControlRefusedError);
        expect((refused as Error).message).toBe('the boot has already succeeded');
      });
    } finally {
      await client.close();
    }
  });

  it('names its waves in the Web UI, and a terminated boot reads as terminated, not running', async () => {
    const { plan } = fixturePlan('terminated', ['data'], { slow: { args: ['--start-delay', '30000'] } });
    booted.push(plan);
    const taskQueue = uniqueTaskQueue('terminated');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers }, async () => {
        const handle = await client.start(plan, { workflowId: `terminated-${taskQueue}` });
        await waitFor('slow probing', async () =>
          (await handle.status()).services.find((s) => s.name === 'slow')?.phase === 'probing' ? true : undefined,
        );
        const wave = client.client.workflow.getHandle(`${handle.workflowId}/wave-0-data`);
        expect(await (await wave.describe()).staticSummary()).toBe('wave 0 · data (1 service)');
        await handle.workflow.terminate('operator stopped it');
        const status = await handle.status();
        expect(status).toMatchObject({ execution: 'terminated', failure: 'boot terminated: operator stopped it' });
        expect(renderFrame(status, Date.now()).split('\n').slice(0, 2)).toEqual([
          expect.stringMatching(/ · terminated( \(last phase running\))?$/),
          '  boot terminated: operator stopped it',
        ]);
      });
    } finally {
      await client.close();
    }
  });
});
