import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { tearDown, withWorker } from '../support/boot-worker';
import { fixturePlan, testPort } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { runCli } from './capture-io';

const drivers = () => ({ process: new ProcessDriver() });

afterEach(() => {
  process.exitCode = undefined;
});

it('bootwave update: --dry-run prints the diff and batches against the running plan; then rolls it out with a report', async () => {
  const taskQueue = uniqueTaskQueue('cli-update');
  process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
  process.env.BOOTWAVE_TASK_QUEUE = taskQueue;
  const v1 = fixturePlan('cli-upd', ['all'], { db: {}, api: { dependsOn: ['db'] } });
  // The edited file: api moves to a new port (start-first), db keeps its definition.
  const file = join(v1.dir, 'plan.yaml');
  const newPort = testPort();
  const v2File = join(v1.dir, 'plan-v2.yaml');
  writeFileSync(v2File, readFileSync(file, 'utf8').replaceAll(String(v1.ports.api), String(newPort)));
  const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
  try {
    await withWorker({ taskQueue, drivers: drivers() }, async () => {
      const { stack, boot } = await client.up(v1.plan);
      expect((await boot.result()).phase).toBe('succeeded');
      await waitFor('supervising', async () => ((await stack.status()).phase === 'supervising' ? true : undefined));

      const dry = await runCli('update', v2File, '--dry-run', '--observe', '1s');
      expect(dry.err).toBe('');
      expect(dry.code).toBe(0);
      expect(dry.out.split('\n')).toEqual([
        'plan cli-upd: 1 changed, 0 added, 0 removed, 1 unchanged',
        expect.stringMatching(
          new RegExp(
            `^  ~ api \\(changed [0-9a-f]{16} → [0-9a-f]{16}\\): start-first, its ports differ \\(${v1.ports.api} → ${newPort}\\)$`,
          ),
        ),
        'batch 1/1 · wave all · roll out: api',
        'batch size 1 · health window 1s · pause 0s · roll back above 0% failed · order auto',
      ]);
      // Nothing changed: the stack still runs the old plan.
      expect((await client.runningPlan('cli-upd')).services[1]!.health).toEqual(v1.plan.services[1]!.health);

      const bad = await runCli('update', v2File, '--batch-size', '0');
      expect(bad).toEqual({
        code: 1,
        out: '',
        err: 'bootwave: --batch-size 0: expected a count such as 2 or a percent such as 25%',
      });

      const run = await runCli('update', v2File, '--no-worker', '--observe', '1s');
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const lines = run.out.split('\n');
      expect(lines[0]).toMatch(/^update bootwave-update-cli-upd started on 127\.0\.0\.1:\d+$/);
      expect(lines).toContain('  api: ready; watching it through the health window');
      expect(lines.slice(-4)).toEqual([
        'SERVICE  CHANGE   ORDER        RESULT   DOWNTIME',
        'api      changed  start-first  updated  0s',
        '',
        'update updated',
      ]);
      await tearDown(drivers(), await client.runningPlan('cli-upd'), 'cli-upd-down');
    });
  } finally {
    await client.close();
  }
});
