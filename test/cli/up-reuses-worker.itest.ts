import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bootWorkflowId } from '../../src/contract/ids';
import { fixturePlan } from '../support/plan-fixture';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WorkerProcess } from '../support/worker-process';

const run = promisify(execFile);
const cli = join(__dirname, '..', '..', 'dist', 'cli', 'bin.js');

// Warm `up`: with a long-running worker of the same build on the task queue (`bootwave worker`, `bootwave dev`),
// the command boots through it instead of starting a worker of its own; once that worker is gone, it starts one.
describe('bootwave up reuses a running worker', () => {
  it('boots through the registered worker, and starts its own once that worker has stopped', async () => {
    const taskQueue = uniqueTaskQueue('reuse');
    const stateDir = freshDir('reuse-state');
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: requireTestEnv('address'),
      BOOTWAVE_TASK_QUEUE: taskQueue,
      BOOTWAVE_STATE_DIR: stateDir,
      BOOTWAVE_WORKFLOW_BUNDLE: requireTestEnv('bundle'),
      NODE_OPTIONS: '',
    };
    const { plan, dir } = fixturePlan('cli-reuse', ['data', 'apps'], {
      db: { wave: 'data' },
      api: { wave: 'apps', dependsOn: ['db'] },
    });
    const file = join(dir, 'plan.yaml');
    const worker = await WorkerProcess.start({
      taskQueue,
      logFile: join(stateDir, 'worker.log'),
      env: { BOOTWAVE_STATE_DIR: stateDir },
    });
    const record = join(stateDir, 'workers', `${worker.child.pid}.json`);
    try {
      await worker.started();
      await waitFor('the worker record', async () => existsSync(record) || undefined);
      const first = await run(process.execPath, [cli, 'up', file, '--no-supervise'], { env });
      expect(first.stderr).toContain(
        `bootwave: using the running worker of \`bootwave worker\` (pid ${worker.child.pid})`,
      );
      expect(first.stdout).toMatch(/^boot succeeded$/m);
      const client = await testClient();
      const identities = new Set<string>();
      const history = await client.workflow.getHandle(bootWorkflowId(plan.name)).fetchHistory();
      for (const event of history.events ?? [])
        if (event.workflowTaskStartedEventAttributes?.identity)
          identities.add(event.workflowTaskStartedEventAttributes.identity);
      expect([...identities]).toEqual([worker.identity]);
      await run(process.execPath, [cli, 'down', file], { env });
    } finally {
      await worker.stop();
    }
    expect(existsSync(record)).toBe(false);

    const second = await run(process.execPath, [cli, 'up', file, '--no-supervise', '--id', 'reuse-second'], { env });
    expect(second.stderr).not.toContain('using the running worker');
    expect(second.stdout).toMatch(/^boot succeeded$/m);
    await run(process.execPath, [cli, 'down', file], { env });
  }, 180_000);
});
