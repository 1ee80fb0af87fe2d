import { BootClient } from '../../src/client/boot-client';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { withWorker } from '../support/boot-worker';
import { isListening } from '../support/net';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { supervising } from '../supervision/supervised-stack';
import { newVersion } from './update-fixture';

const drivers = { process: new ProcessDriver() };

describe('bootwave down during an update', () => {
  it('waits for the update, which still gets its report; then the stack is down and a new update finds no stack', async () => {
    const v1 = fixturePlan('upd-down', ['all'], { api: {} });
    const v2 = newVersion(v1.plan, { api: { newPort: true, args: ['--name', 'api-v2'] } });
    const taskQueue = uniqueTaskQueue('upd-down');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers }, async () => {
        await supervising(client, v1.plan);

        const update = await client.update(v2.plan, { observeMs: 4000 });
        await waitFor('api observed', async () =>
          (await update.progress())?.services.find((s) => s.service === 'api')?.phase === 'observing'
            ? true
            : undefined,
        );
        // Two downs at once (two operators): the second waits for the first and gets its result.
        const [report, teardown, second] = await Promise.all([
          update.report(),
          client.down(v1.plan),
          new Promise((resolve) => setTimeout(resolve, 200)).then(() => client.down(v1.plan)),
        ]);
        expect(report.outcome).toBe('updated');
        expect(teardown).toMatchObject({ stopped: ['api'], failed: [], supervisionEnded: true });
        expect(second).toEqual(teardown);
        expect(await isListening(v2.ports.api!)).toBe(false);
        expect(await isListening(v1.ports.api!)).toBe(false);
        await expect((await client.update(v2.plan)).report()).rejects.toMatchObject({
          cause: { message: expect.stringMatching(/no supervised stack runs for plan upd-down/) },
        });
      });
    } finally {
      await client.close();
      for (const service of v2.plan.services) await drivers.process.stop({ plan: v2.plan.name, bootId: '' }, service);
    }
  });
});
