import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { isListening } from '../support/net';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { supervising } from '../supervision/supervised-stack';
import { WorkerProcess } from '../support/worker-process';
import { answeringName, newVersion } from './update-fixture';

const countLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

describe('bootwave update across a worker crash', () => {
  it('resumes an update on a new worker after kill -9 of the worker mid-update and finishes it, starting nothing twice', async () => {
    const dir = freshDir('upd-crash-starts');
    const startLog = (service: string) => join(dir, `${service}.starts`);
    const v1 = fixturePlan('upd-crash', ['all'], {
      db: { startLog: startLog('db') },
      api: { dependsOn: ['db'], startLog: startLog('api') },
    });
    const v2 = newVersion(v1.plan, {
      db: { newPort: true, args: ['--name', 'db-v2'] },
      api: { newPort: true, args: ['--name', 'api-v2'] },
    });
    const taskQueue = uniqueTaskQueue('upd-crash');
    const logFile = join(dir, 'worker.log');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    let worker = await WorkerProcess.start({ taskQueue, logFile });
    try {
      await worker.started();
      await supervising(client, v1.plan);

      const handle = await client.update(v2.plan, { observeMs: 3000 });
      // Killed while db's new version is in its health window (its watch activity runs on that worker).
      await waitFor('db observed', async () =>
        (await handle.progress())?.services.find((s) => s.service === 'db')?.phase === 'observing' ? true : undefined,
      );
      await worker.kill();
      worker = await WorkerProcess.start({ taskQueue, logFile: join(dir, 'worker-2.log') });

      const report = await handle.report();
      expect(report.outcome).toBe('updated');
      expect(report.services.map((s) => [s.service, s.phase])).toEqual([
        ['db', 'updated'],
        ['api', 'updated'],
      ]);
      expect(await answeringName(v2.ports.db!)).toBe('db-v2');
      expect(await answeringName(v2.ports.api!)).toBe('api-v2');
      expect(await isListening(v1.ports.db!)).toBe(false);
      // One start at the boot, one of the new version: the resumed update started nothing again.
      expect([countLines(startLog('db')), countLines(startLog('api'))]).toEqual([2, 2]);
    } finally {
      await worker.kill();
      await client.client.workflow
        .getHandle(`bootwave-stack-${v1.plan.name}`)
        .terminate('test over')
        .catch(() => undefined);
      await client.close();
      for (const service of v2.plan.services)
        await new ProcessDriver().stop({ plan: v2.plan.name, bootId: '' }, service);
    }
  });
});
