import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { runCli } from '../cli/capture-io';
import { BootClient } from '../../src/client/boot-client';
import { UpdateHandle } from '../../src/client/update-handle';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';
import { tearDown, withWorker } from '../support/boot-worker';
import { isListening } from '../support/net';
import { healthService, randomTestPort } from '../support/plan-fixture';
import { scheduledUpdates, triggerUpdate } from '../support/schedule-trigger';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { supervising } from '../supervision/supervised-stack';
import { answeringName } from '../update/update-fixture';

// The schedule's trigger starts the REAL updateWorkflow (the run's worker bundle) on a booted, supervised stack of
// a real process; the overlap-skip tests beside this one use a stand-in that holds, this one lets the update run.
const drivers = () => ({ process: new ProcessDriver() });
let client: Client;
beforeAll(async () => {
  process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
  client = await testClient();
});
afterAll(async () => {
  delete process.env.BOOTWAVE_TASK_QUEUE;
  await client?.connection.close();
});
afterEach(() => {
  process.exitCode = undefined;
});

/** A plan file of one health-service named `version` on `port`, with a short health window for its updates. */
function planFile(dir: string, name: string, port: number, version: string): { file: string; plan: ResolvedPlan } {
  const file = join(dir, `${version}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'update: { observe: 2s }',
      'services:',
      '  api:',
      `    process: { command: [node, ${healthService}, --name, ${version}, --port, '${port}'] }`,
      '    startTimeout: 30s',
      '    health:',
      `      check: { kind: http, url: 'http://127.0.0.1:${port}/health', expectStatus: [200] }`,
      '      interval: 200ms',
      '      startInterval: 50ms',
      '      retries: 3',
      '',
    ].join('\n'),
  );
  const loaded = loadPlan(file);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
  return { file, plan: loaded.plan };
}

it('a schedule triggered by hand runs the real update on the booted stack: the new version serves', async () => {
  const name = uniqueTaskQueue('sched-real');
  const id = `bootwave-update-${name}`;
  const dir = freshDir(name);
  const [oldPort, newPort] = [await randomTestPort(), await randomTestPort()];
  const v1 = planFile(dir, name, oldPort, 'api');
  const v2 = planFile(dir, name, newPort, 'api-v2');
  const taskQueue = uniqueTaskQueue('sched-real-q');
  process.env.BOOTWAVE_TASK_QUEUE = taskQueue;
  const boot = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
  try {
    await withWorker({ taskQueue, drivers: drivers() }, async () => {
      await supervising(boot, v1.plan);

      // The schedule holds a snapshot of the edited plan (v2); its cron is far off, `trigger` fires it now.
      const created = await runCli('schedule', 'create', v2.file, '--cron', '0 3 * * *');
      expect(created).toMatchObject({ code: 0, err: '' });
      try {
        const updateId = await triggerUpdate(client, id);
        expect(updateId).toMatch(new RegExp(`^${id}-\\d{4}-`));
        const update = new UpdateHandle(client, client.workflow.getHandle(updateId), name);
        const report = await update.report();

        expect(report.outcome).toBe('updated');
        expect(report.services.map((s) => [s.service, s.method, s.phase])).toEqual([['api', 'start-first', 'updated']]);
        // The new version serves on its port; the old one is gone; the stack runs the schedule's snapshot.
        expect(await answeringName(newPort)).toBe('api-v2');
        expect(await isListening(oldPort)).toBe(false);
        expect((await boot.runningPlan(name)).services[0]!.target).toEqual(v2.plan.services[0]!.target);
        // The schedule's own record holds the update it ran, and describe shows it as its last run.
        expect(await scheduledUpdates(client, id)).toContain(updateId);
        expect((await runCli('schedule', 'describe', id)).out).toContain(updateId);
      } finally {
        expect(await runCli('schedule', 'delete', id)).toMatchObject({ code: 0 });
      }
      await tearDown(drivers(), v2.plan, 'sched-real-down');
    });
  } finally {
    await boot.close();
  }
}, 300_000);
