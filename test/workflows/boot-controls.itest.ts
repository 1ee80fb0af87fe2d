import { BootClient } from '../../src/client/boot-client';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import type { ResolvedPlan } from '../../src/plan/types';
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

describe('boot controls', () => {
  it('pause holds the next wave until resume; the status query shows it paused', async () => {
    const { plan } = fixturePlan('pause', ['first', 'second'], {
      a: { wave: 'first', args: ['--start-delay', '3000'] },
      b: { wave: 'second' },
    });
    booted.push(plan);
    const taskQueue = uniqueTaskQueue('pause');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    await withWorker({ taskQueue, drivers }, async () => {
      const handle = await client.start(plan, { strategy: 'waves', workflowId: `pause-${taskQueue}` });
      // Pause once the first wave is under way: a pause that reaches the boot before its first wave holds that wave.
      await waitFor('a started', async () =>
        ['starting', 'probing'].includes((await handle.status()).services.find((s) => s.name === 'a')?.phase ?? '')
          ? true
          : undefined,
      );
      await handle.pause();
      await waitFor('a healthy', async () =>
        (await handle.status()).services.find((s) => s.name === 'a')?.phase === 'healthy' ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const paused = await handle.status();
      expect(paused).toMatchObject({ paused: true, phase: 'running' });
      expect(paused.services.find((s) => s.name === 'b')?.phase).toBe('pending');
      await handle.resume();
      const result = await handle.result();
      expect(result.phase).toBe('succeeded');
      expect(result.services.find((s) => s.name === 'b')!.startedAtMs!).toBeGreaterThan(
        paused.services.find((s) => s.name === 'a')!.readyAtMs! + 900,
      );
    });
    await client.close();
  });

  it('status shows live probe progress of a probing service, and lists boots by plan', async () => {
    const { plan } = fixturePlan('live', ['only'], { slow: { args: ['--start-delay', '3000'] } });
    booted.push(plan);
    const taskQueue = uniqueTaskQueue('live');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    await withWorker({ taskQueue, drivers }, async () => {
      const handle = await client.start(plan, { workflowId: `live-${taskQueue}` });
      const probing = await waitFor('probe progress', async () =>
        (await handle.status()).services.find((s) => s.name === 'slow' && s.probe && s.probe.attempts > 0),
      );
      expect(probing.phase).toBe('probing');
      expect(probing.probe?.lastOutput).toMatch(/ECONNREFUSED/);
      expect((await handle.result()).phase).toBe('succeeded');
      const listed = await waitFor('boot listed', async () => {
        const boots = await client.list({ plan: plan.name });
        return boots.find((b) => b.workflowId === handle.workflowId);
      });
      expect(listed).toMatchObject({ plan: plan.name, status: 'COMPLETED' });
    });
    await client.close();
  });

  it('maxParallel limits how many services start at once', async () => {
    const services = Object.fromEntries(
      ['s1', 's2', 's3', 's4'].map((name) => [name, { args: ['--start-delay', '600'] }]),
    );
    const { plan } = fixturePlan('parallel', ['only'], services);
    booted.push(plan);
    const taskQueue = uniqueTaskQueue('parallel');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    const result = await withWorker({ taskQueue, drivers }, async () =>
      (await client.start(plan, { maxParallel: 2, workflowId: `parallel-${taskQueue}` })).result(),
    );
    await client.close();
    expect(result.phase).toBe('succeeded');
    // At every service's start, at most one other had started and was not yet ready.
    for (const service of result.services) {
      const overlapping = result.services.filter(
        (o) => o !== service && o.startedAtMs! <= service.startedAtMs! && o.readyAtMs! > service.startedAtMs!,
      );
      expect({ service: service.name, overlapping: overlapping.length <= 1 }).toEqual({
        service: service.name,
        overlapping: true,
      });
    }
  });
});
