import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { BootClient } from '../../src/client/boot-client';
import type { StackStatus } from '../../src/contract/supervision';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { tearDown, withWorker } from '../support/boot-worker';
import { isListening } from '../support/net';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { supervising } from '../supervision/supervised-stack';
import { answeringName, newVersion, pollThroughout, portOf } from './update-fixture';

const drivers = () => ({ process: new ProcessDriver() });

const phases = (status: StackStatus) => Object.fromEntries(status.services.map((s) => [s.name, s.phase]));

describe('bootwave update: rolling updates on the supervised stack', () => {
  it('rolls three services out start-first in two batches with zero failed requests, and supervises the new versions', async () => {
    const v1 = fixturePlan('upd-roll', ['all'], { db: {}, cache: {}, api: { dependsOn: ['db'] } });
    const v2 = newVersion(v1.plan, {
      db: { newPort: true, args: ['--name', 'db-v2'] },
      cache: { newPort: true, args: ['--name', 'cache-v2'] },
      api: { newPort: true, args: ['--name', 'api-v2'] },
    });
    const taskQueue = uniqueTaskQueue('upd-roll');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        const stack = await supervising(client, v1.plan);
        const poller = pollThroughout(
          Object.fromEntries(['db', 'cache', 'api'].map((s) => [s, [v1.ports[s]!, v2.ports[s]!]])),
        );
        const handle = await client.update(v2.plan, { batchSize: { count: 2 }, observeMs: 1500 });
        const report = await handle.report();
        const polled = await poller.stop();

        expect(report.outcome).toBe('updated');
        expect(report.batches.map((b) => b.services)).toEqual([['db', 'cache'], ['api']]);
        expect(report.services.map((s) => [s.service, s.method, s.phase])).toEqual([
          ['db', 'start-first', 'updated'],
          ['cache', 'start-first', 'updated'],
          ['api', 'start-first', 'updated'],
        ]);
        expect(polled.requests).toBeGreaterThan(30);
        expect(polled.failed).toEqual([]);
        // The new versions answer on their ports; the old ones are gone.
        for (const service of ['db', 'cache', 'api']) {
          expect(await answeringName(v2.ports[service]!)).toBe(`${service}-v2`);
          expect(await isListening(v1.ports[service]!)).toBe(false);
        }
        // The stack now runs and watches the new plan: its plan is v2, and the new instances stay healthy.
        expect((await client.runningPlan(v1.plan.name)).services.map(portOf)).toEqual(v2.plan.services.map(portOf));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const after = await stack.status();
        expect(phases(after)).toEqual({ db: 'healthy', cache: 'healthy', api: 'healthy' });
        expect(after.services.map((s) => s.restarts)).toEqual([0, 0, 0]);

        const down = await tearDown(drivers(), v2.plan, 'upd-roll-down');
        expect(down.stopped.sort()).toEqual(['api', 'cache', 'db']);
        for (const service of ['db', 'cache', 'api']) expect(await isListening(v2.ports[service]!)).toBe(false);
      });
    } finally {
      await client.close();
    }
  });

  it('rolls back a new version that fails inside its health window: the old argv serves again', async () => {
    const v1 = fixturePlan('upd-back', ['all'], { db: {}, api: { dependsOn: ['db'] } });
    // Same port: stop-first. Healthy at first, unhealthy 1.5 s after it starts: inside the 6 s window.
    const v2 = newVersion(v1.plan, { api: { args: ['--name', 'api-v2', '--fail-after', '1500'] } });
    const taskQueue = uniqueTaskQueue('upd-back');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        const stack = await supervising(client, v1.plan);
        const handle = await client.update(v2.plan, { observeMs: 6000 });
        const seenNew = await waitFor('the new version serving', async () =>
          (await answeringName(v1.ports.api!)) === 'api-v2' ? true : undefined,
        );
        expect(seenNew).toBe(true);
        const report = await handle.report();

        expect(report.outcome).toBe('rolled-back');
        expect(report.reason).toMatch(/^critical service api failed: unhealthy in the health window/);
        const api = report.services.find((s) => s.service === 'api')!;
        expect(api).toMatchObject({ method: 'stop-first', phase: 'rolled-back' });
        // Stop-first: down from the old one's stop until the new one was ready, reported.
        expect(api.downtimeMs).toBeGreaterThan(0);
        expect(report.changes.map((c) => [c.service, c.kind])).toEqual([
          ['db', 'unchanged'],
          ['api', 'changed'],
        ]);
        // The old version answers again, on its port, with its own argv (--name api).
        expect(await answeringName(v1.ports.api!)).toBe('api');
        expect((await client.runningPlan(v1.plan.name)).services.find((s) => s.name === 'api')!.target).toEqual(
          v1.plan.services.find((s) => s.name === 'api')!.target,
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
        expect(phases(await stack.status())).toEqual({ db: 'healthy', api: 'healthy' });
        // Replay fixtures of an update (stack and update workflow), recorded on request after a deliberate change.
        const record = process.env.BOOTWAVE_RECORD_UPDATE_HISTORIES;
        if (record)
          for (const handleToRecord of [stack.workflow, handle.workflow])
            writeFileSync(
              join(record, `update--${handleToRecord.workflowId.replace(/\//g, '_')}.json`),
              historyToJSON(await handleToRecord.fetchHistory()),
            );
        await tearDown(drivers(), v1.plan, 'upd-back-down');
      });
    } finally {
      await client.close();
    }
  });

  it("skips an update outside the plan's maintenance windows when the plan says skip, and changes nothing", async () => {
    const v1 = fixturePlan('upd-window', ['all'], { api: {} });
    const v2 = newVersion(v1.plan, { api: { newPort: true, args: ['--name', 'api-v2'] } });
    // A window that opens two hours from now: the update starts outside every window.
    const now = new Date();
    const startMinute = (now.getUTCHours() * 60 + now.getUTCMinutes() + 120) % 1440;
    const maintenance = {
      windows: [{ days: [0, 1, 2, 3, 4, 5, 6], startMinute, durationMs: 30 * 60_000 }],
      outsideWindow: 'skip' as const,
    };
    const taskQueue = uniqueTaskQueue('upd-window');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        await supervising(client, v1.plan);
        const handle = await client.update({ ...v2.plan, update: { maintenance } });
        const report = await handle.report();
        expect(report.outcome).toBe('skipped');
        expect(report.reason).toMatch(/^outside the plan's update windows \(next opens \S+\); outsideWindow: skip$/);
        expect(await answeringName(v1.ports.api!)).toBe('api');
        expect(await isListening(v2.ports.api!)).toBe(false);
        await tearDown(drivers(), v1.plan, 'upd-window-down');
      });
    } finally {
      await client.close();
    }
  });

  it('refuses an update while another one runs', async () => {
    const v1 = fixturePlan('upd-busy', ['all'], { api: {} });
    const v2 = newVersion(v1.plan, { api: { newPort: true, args: ['--name', 'api-v2'] } });
    const v3 = newVersion(v1.plan, { api: { newPort: true, args: ['--name', 'api-v3'] } });
    const taskQueue = uniqueTaskQueue('upd-busy');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        const stack = await supervising(client, v1.plan);
        const first = await client.update(v2.plan, { observeMs: 4000 });
        await waitFor('the first update running', async () =>
          (await stack.status()).update?.services[0]?.phase === 'observing' ? true : undefined,
        );
        // Another update of the same stack under another ID (a schedule's, say): the stack refuses it.
        const second = await client.update(v3.plan, { workflowId: `${first.workflowId}-second` });
        const refused = await second.report();
        expect(refused.outcome).toBe('refused');
        expect(refused.reason).toBe(`an update of plan upd-busy is already running (${first.workflowId})`);
        // The same ID: Temporal itself refuses to start it.
        await expect(client.update(v3.plan)).rejects.toThrow(/already started/i);

        const report = await first.report();
        expect(report.outcome).toBe('updated');
        expect(await answeringName(v2.ports.api!)).toBe('api-v2');
        expect(await isListening(v3.ports.api!)).toBe(false);
        await tearDown(drivers(), v2.plan, 'upd-busy-down');
      });
    } finally {
      await client.close();
    }
  });
});
