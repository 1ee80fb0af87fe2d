import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePlanYaml } from '../../bench/generate-plan';
import { BootClient } from '../../src/client/boot-client';
import { waveWorkflowId } from '../../src/contract/ids';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WorkerProcess } from '../support/worker-process';
import { activityRuns } from './activity-runs';

jest.setTimeout(900_000);

/**
 * The benchmark's generated plan (seeded random dependencies), each service a `sleep` that first appends its name
 * to one start log: O_APPEND writes of a line are atomic, so the log counts every start of every service.
 */
function countedPlan(name: string, services: number, startLog: string, dir: string) {
  let current = '';
  const text = generatePlanYaml({ name, services, waves: 10, seed: 13 })
    .split('\n')
    .map((line) => {
      const service = /^ {2}(s\d{4}):$/.exec(line);
      if (service) current = service[1]!;
      return line.replace(
        'process: { command: [/bin/sleep, "3600"] }',
        `process: { command: [sh, -c, 'echo ${current} >> "$0"; exec sleep 3600', ${JSON.stringify(startLog)}] }`,
      );
    })
    .join('\n');
  const file = join(dir, 'plan.yaml');
  writeFileSync(file, text);
  const loaded = loadPlan(file);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
  return loaded.plan;
}

it('three workers sharing the queue boot a 300-service plan, one killed -9 mid-boot, no service started twice', async () => {
  const taskQueue = uniqueTaskQueue('shared');
  const dir = freshDir('shared-queue');
  const startLog = join(dir, 'starts.log');
  const plan = countedPlan(`shared-${taskQueue}`, 300, startLog, dir);
  const workers = await Promise.all(
    [0, 1, 2].map((i) => WorkerProcess.start({ taskQueue, logFile: join(dir, `worker-${i}.log`) })),
  );
  const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
  const temporal = await testClient();
  const starts = () => readFileSync(startLog, 'utf8').split('\n').filter(Boolean);
  try {
    const handle = await client.start(plan, { strategy: 'dag', workflowId: `shared-${taskQueue}` });
    await waitFor('a third of the services started', async () => (starts().length >= 100 ? true : undefined), 600_000);
    await workers[0]!.kill();
    const result = await handle.result();
    expect({ phase: result.phase, failure: result.failure }).toEqual({ phase: 'succeeded', failure: undefined });
    expect(result.services.filter((s) => s.phase === 'healthy')).toHaveLength(300);

    // Every service started exactly once: its own start log line, and one start activity in its wave's history.
    const started = starts();
    const twice = started.filter((name, i) => started.indexOf(name) !== i);
    expect({ starts: started.length, twice }).toEqual({ starts: 300, twice: [] });
    expect(new Set(started)).toEqual(new Set(plan.services.map((s) => s.name)));
    const runs = (
      await Promise.all(plan.waves.map((wave) => activityRuns(temporal, waveWorkflowId(handle.workflowId, wave))))
    ).flat();
    // A wave's starts released together are one activity (a batch): count the services, not the activities.
    const startRuns = runs.filter((run) => run.starts.length > 0);
    expect(startRuns.flatMap((run) => run.starts).sort()).toEqual(plan.services.map((s) => s.name).sort());
    // Run by the three workers of the shared queue only.
    const identities = new Set(workers.map((w) => w.identity));
    for (const run of startRuns) expect(identities.has(run.identity!)).toBe(true);

    const down = await client.down(plan);
    expect({ stopped: down.stopped.length, failed: down.failed }).toEqual({ stopped: 300, failed: [] });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await client.close();
    await temporal.connection.close();
    for (const service of plan.services) await new ProcessDriver().stop({ plan: plan.name, bootId: '' }, service);
  }
});
