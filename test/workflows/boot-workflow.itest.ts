import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BootClient } from '../../src/client/boot-client';
import { bootStatusQuery } from '../../src/contract/messages';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import type { BootOptions } from '../../src/plan/boot-input';
import type { ResolvedPlan } from '../../src/plan/types';
import type { BootStatus, ServiceStatus } from '../../src/contract/status';
import { withWorker } from '../support/boot-worker';
import { isListening } from '../support/net';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';

const drivers = { process: new ProcessDriver() };
const booted: ResolvedPlan[] = [];

// Whatever a test left running (a healthy boot, a failed assertion) is stopped, as `bootwave down` would.
afterAll(async () => {
  for (const plan of booted)
    for (const s of plan.services) await drivers.process.stop({ plan: plan.name, bootId: '' }, s);
});

async function boot(
  plan: ResolvedPlan,
  options: Partial<BootOptions>,
  during?: (client: BootClient, workflowId: string) => Promise<void>,
  afterwards?: (client: BootClient, workflowId: string) => Promise<void>,
): Promise<BootStatus> {
  booted.push(plan);
  const taskQueue = uniqueTaskQueue('boot');
  const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
  try {
    return await withWorker({ taskQueue, drivers }, async () => {
      const handle = await client.start(plan, { ...options, workflowId: `${plan.name}-${taskQueue}` });
      await during?.(client, handle.workflowId);
      const result = await handle.result();
      await afterwards?.(client, handle.workflowId);
      return result;
    });
  } finally {
    await client.close();
  }
}

/** The boot's `stopService` activities by the summary they were scheduled with ("roll back db"). */
async function stopsInHistory(client: BootClient, workflowId: string) {
  const history = await client.client.workflow.getHandle(workflowId).fetchHistory();
  const stops = new Map<string, { scheduledInTask: number; scheduledAt: number; closedAt?: number }>();
  const bySchedule = new Map<number, string>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'stopService') {
      const summary = JSON.parse(Buffer.from(event.userMetadata!.summary!.data!).toString()) as string;
      stops.set(summary, {
        scheduledInTask: Number(scheduled.workflowTaskCompletedEventId),
        scheduledAt: Number(event.eventId),
      });
      bySchedule.set(Number(event.eventId), summary);
    }
    const closed = event.activityTaskCompletedEventAttributes ?? event.activityTaskFailedEventAttributes;
    const summary = closed && bySchedule.get(Number(closed.scheduledEventId));
    if (summary) stops.get(summary)!.closedAt = Number(event.eventId);
  }
  return stops;
}

interface WaveActivity {
  /** The summaries of the activities the wave scheduled ("start db"). */
  summaries: string[];
  /** The workflows the wave signalled, other than its boot. */
  signalled: string[];
}

/** What each wave of a boot scheduled and whom it signalled, from the waves' histories. */
async function waveActivities(client: BootClient, workflowId: string): Promise<WaveActivity[]> {
  const boot = await client.client.workflow.getHandle(workflowId).fetchHistory();
  const waveIds = (boot.events ?? []).flatMap((event) => {
    const id = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    return id ? [id] : [];
  });
  return Promise.all(
    waveIds.map(async (waveId) => {
      const history = await client.client.workflow.getHandle(waveId).fetchHistory();
      const summaries: string[] = [];
      const signalled: string[] = [];
      for (const event of history.events ?? []) {
        if (event.activityTaskScheduledEventAttributes)
          summaries.push(JSON.parse(Buffer.from(event.userMetadata!.summary!.data!).toString()) as string);
        const target = event.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId;
        if (target && target !== workflowId) signalled.push(target);
      }
      return { summaries, signalled };
    }),
  );
}

const byName = (status: BootStatus) => new Map<string, ServiceStatus>(status.services.map((s) => [s.name, s]));
const service = (status: BootStatus, name: string) => byName(status).get(name)!;

describe('bootWorkflow on real processes', () => {
  it('dag starts a service once its own dependencies are ready; waves waits for the whole earlier wave', async () => {
    const shape = {
      fast: { wave: 'first', args: ['--start-delay', '50'] },
      slow: { wave: 'first', args: ['--start-delay', '2500'] },
      dependent: { wave: 'second', dependsOn: ['fast'] },
    };
    const dag = await boot(fixturePlan('order-dag', ['first', 'second'], shape).plan, { strategy: 'dag' });
    expect(dag.phase).toBe('succeeded');
    expect(service(dag, 'dependent').startedAtMs!).toBeGreaterThanOrEqual(service(dag, 'fast').readyAtMs!);
    expect(service(dag, 'dependent').startedAtMs!).toBeLessThan(service(dag, 'slow').readyAtMs!);

    const waves = await boot(fixturePlan('order-waves', ['first', 'second'], shape).plan, { strategy: 'waves' });
    expect(waves.phase).toBe('succeeded');
    expect(service(waves, 'dependent').startedAtMs!).toBeGreaterThanOrEqual(service(waves, 'slow').readyAtMs!);
  });

  it('dag releases a `started` dependency in a later wave as soon as it starts, a `healthy` one once it is ready', async () => {
    const status = await boot(
      fixturePlan('started-dag', ['first', 'second'], {
        slow: { wave: 'first', args: ['--start-delay', '2000'] },
        early: { wave: 'second', dependsOn: [{ service: 'slow', kind: 'requires', condition: 'started' }] },
        late: { wave: 'second', dependsOn: ['slow'] },
      }).plan,
      { strategy: 'dag' },
    );
    expect(status.phase).toBe('succeeded');
    expect(service(status, 'early').startedAtMs!).toBeGreaterThanOrEqual(service(status, 'slow').startedAtMs!);
    expect(service(status, 'early').startedAtMs!).toBeLessThan(service(status, 'slow').readyAtMs!);
    expect(service(status, 'late').startedAtMs!).toBeGreaterThanOrEqual(service(status, 'slow').readyAtMs!);
  });

  it('a service without a check is ready when its start finds it running: no probe, and its dependents hear from the start', async () => {
    let waves: WaveActivity[] = [];
    const status = await boot(
      fixturePlan('ready-at-start', ['data', 'apps'], {
        db: { wave: 'data', noCheck: true },
        api: { wave: 'apps', dependsOn: ['db'], noCheck: true },
        web: { wave: 'apps', dependsOn: ['api'] },
      }).plan,
      { strategy: 'dag' },
      undefined,
      async (client, workflowId) => void (waves = await waveActivities(client, workflowId)),
    );
    expect(status.phase).toBe('succeeded');
    for (const name of ['db', 'api', 'web']) expect(service(status, name).phase).toBe('healthy');
    expect(service(status, 'db').readyAtMs!).toBeGreaterThanOrEqual(service(status, 'db').startedAtMs!);
    expect(service(status, 'api').startedAtMs!).toBeGreaterThanOrEqual(service(status, 'db').readyAtMs!);
    expect(service(status, 'web').startedAtMs!).toBeGreaterThanOrEqual(service(status, 'api').readyAtMs!);
    // Only web, which has a check, is probed; db's start told the apps wave itself, so its wave signals no one.
    expect(waves.flatMap((wave) => wave.summaries).sort()).toEqual(['probe web', 'start api', 'start db', 'start web']);
    expect(waves.find((wave) => wave.summaries.includes('start db'))!.signalled).toEqual([]);
  });

  it('starts released together travel as one activity; one failing in it is started alone and fails as it would alone', async () => {
    let waves: WaveActivity[] = [];
    const { plan, ports } = fixturePlan('start-batch', ['data', 'apps'], {
      db: { wave: 'data', noCheck: true },
      cache: { wave: 'data' },
      queue: { wave: 'data', noCheck: true, critical: false },
      api: { wave: 'apps', dependsOn: ['db', 'cache'] },
    });
    // A working directory that does not exist: the loader takes it, the spawn fails, and so does every retry.
    const queue = plan.services.find((s) => s.name === 'queue')!;
    if (queue.target.driver !== 'process') throw new Error('the fixture is a process service');
    queue.target.cwd = join(freshDir('start-batch-gone'), 'missing');
    const status = await boot(plan, { strategy: 'waves', onFailure: 'continue' }, undefined, async (client, id) => {
      waves = await waveActivities(client, id);
    });
    expect(status.phase).toBe('degraded');
    expect(service(status, 'queue')).toMatchObject({
      phase: 'failed',
      error: expect.stringMatching(/Failed to start queue/),
    });
    for (const name of ['db', 'cache', 'api']) expect(service(status, name).phase).toBe('healthy');
    expect(await isListening(ports.cache!)).toBe(true);
    // The data wave's three starts went out together; the failed one went again on its own, with a start's retries.
    const [batch, ...others] = waves[0]!.summaries.sort((a, b) => b.length - a.length);
    expect(
      batch!
        .match(/^start 3 services: (.*)$/)?.[1]
        ?.split(', ')
        .sort(),
    ).toEqual(['cache', 'db', 'queue']);
    expect(others.sort()).toEqual(['probe cache', 'start queue']);
    // A lone start is an ordinary start.
    expect(waves[1]!.summaries.sort()).toEqual(['probe api', 'start api']);
  }, 90_000);

  it('dag boots a chain across 100 waves, whose children start in any order: a wave told of a dependency before it started still hears of it', async () => {
    const length = 100;
    const dir = freshDir('long-chain');
    const file = join(dir, 'plan.yaml');
    const links = Array.from({ length }, (_, i) => i);
    writeFileSync(
      file,
      [
        'name: long-chain',
        'waves:',
        ...links.map((i) => `  - { name: w${i} }`),
        'services:',
        ...links.map(
          (i) =>
            `  c${i}: { wave: w${i}, process: { command: [/bin/sleep, "300"] }${i ? `, dependsOn: [c${i - 1}]` : ''} }`,
        ),
      ].join('\n'),
    );
    const loaded = loadPlan(file);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
    const status = await boot(loaded.plan, { strategy: 'dag' }, async (client, workflowId) => {
      // A wave that started after its dependency's wave had signalled it used to wait forever (both runs of this
      // test without the relay hung at c1): fail with who waits rather than at the test's timeout.
      const handle = client.client.workflow.getHandle(workflowId);
      const settled = await Promise.race([handle.result().then(() => true), delay(60_000).then(() => false)]);
      if (settled) return;
      const hung = await handle.query(bootStatusQuery);
      const waiting = hung.services.filter((s) => s.phase === 'waiting').map((s) => `${s.name} (${s.waitingFor})`);
      throw new Error(`the boot hung; still waiting: ${waiting.slice(0, 5).join(', ')} …`);
    });
    expect(status.phase).toBe('succeeded');
    for (const i of links.slice(1))
      expect(service(status, `c${i}`).startedAtMs!).toBeGreaterThanOrEqual(service(status, `c${i - 1}`).readyAtMs!);
  }, 120_000);

  it('rolls back every process the boot started when a critical service fails', async () => {
    const { plan, ports } = fixturePlan('rollback', ['data', 'apps'], {
      db: { wave: 'data' },
      cache: { wave: 'data' },
      api: {
        wave: 'apps',
        dependsOn: ['db'],
        args: ['--start-delay', '5000', '--exit-code', '3', '--exit-after', '300'],
      },
      web: { wave: 'apps', dependsOn: ['api'] },
    });
    let stops: Awaited<ReturnType<typeof stopsInHistory>> = new Map();
    const result = await boot(plan, { onFailure: 'rollback' }, undefined, async (client, workflowId) => {
      stops = await stopsInHistory(client, workflowId);
    });
    // Backwards: api before db, which it depends on; db and cache, which nothing running depends on, together.
    expect([...stops.keys()].sort()).toEqual(['roll back api', 'roll back cache', 'roll back db']);
    expect(stops.get('roll back api')!.closedAt!).toBeLessThan(stops.get('roll back db')!.scheduledAt);
    expect(stops.get('roll back db')!.scheduledInTask).toBe(stops.get('roll back cache')!.scheduledInTask);
    expect(result.phase).toBe('rolled-back');
    expect(result.failure).toMatch(/^critical service api failed: service api exited with code 3/);
    expect(service(result, 'db').phase).toBe('rolled-back');
    expect(service(result, 'cache').phase).toBe('rolled-back');
    expect(service(result, 'web').phase).toBe('skipped');
    for (const name of ['db', 'cache', 'api', 'web']) expect(await isListening(ports[name]!)).toBe(false);
  });

  it('reports a failing non-critical service as degraded and keeps the rest', async () => {
    const { plan, ports } = fixturePlan('degraded', ['all'], {
      core: {},
      extras: { critical: false, args: ['--start-delay', '5000', '--exit-code', '1', '--exit-after', '200'] },
    });
    const result = await boot(plan, { onFailure: 'rollback' });
    expect(result.phase).toBe('degraded');
    expect(service(result, 'core').phase).toBe('healthy');
    expect(service(result, 'extras').phase).toBe('failed');
    expect(await isListening(ports.core!)).toBe(true);
  });

  it('continue skips what requires the failure and boots the rest', async () => {
    const { plan } = fixturePlan('continue', ['all'], {
      broken: { args: ['--start-delay', '5000', '--exit-code', '2', '--exit-after', '100'] },
      'needs-broken': { dependsOn: ['broken'] },
      independent: {},
      'soft-on-broken': { dependsOn: [{ service: 'broken', kind: 'wants', condition: 'healthy' }] },
    });
    const result = await boot(plan, { onFailure: 'continue' });
    expect(result.phase).toBe('degraded');
    expect(service(result, 'needs-broken')).toMatchObject({
      phase: 'skipped',
      error: 'requires broken (healthy), which is failed',
    });
    expect(service(result, 'independent').phase).toBe('healthy');
    expect(service(result, 'soft-on-broken').phase).toBe('healthy');
  });

  it('a one-shot that exits non-zero blocks its dependents', async () => {
    const { plan } = fixturePlan('oneshot', ['all'], {
      db: {},
      migrate: { oneShot: true, exitCode: 4, dependsOn: ['db'] },
      app: { dependsOn: [{ service: 'migrate', kind: 'requires', condition: 'completed' }] },
    });
    const result = await boot(plan, { onFailure: 'halt' });
    expect(result.phase).toBe('halted');
    expect(service(result, 'migrate').phase).toBe('failed');
    expect(service(result, 'migrate').error).toMatch(/exited with code 4/);
    expect(service(result, 'app').phase).toBe('skipped');
  });

  it('cancel stops starting and rolls back what was started', async () => {
    const { plan, ports } = fixturePlan('cancel', ['first', 'second'], {
      quick: { wave: 'first' },
      sluggish: { wave: 'first', args: ['--start-delay', '20000'], startTimeout: '60s' },
      later: { wave: 'second', dependsOn: ['sluggish'] },
    });
    const result = await boot(plan, { onFailure: 'rollback' }, async (client, workflowId) => {
      const handle = client.boot(workflowId);
      for (
        let i = 0;
        i < 100 && (await handle.status()).services.find((s) => s.name === 'quick')?.phase !== 'healthy';
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await handle.cancel('test');
    });
    expect(result.phase).toBe('cancelled');
    expect(result.cancelRequested).toBe(true);
    expect(service(result, 'quick').phase).toBe('rolled-back');
    expect(service(result, 'later').phase).toBe('skipped');
    expect(await isListening(ports.quick!)).toBe(false);
    expect(await isListening(ports.sluggish!)).toBe(false);
  });
});
