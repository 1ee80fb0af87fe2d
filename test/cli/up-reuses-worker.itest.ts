import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
// the command boots through it instead of starting a worker of its own, and `up`, `status` and `list` call Temporal
// through that worker's local API instead of loading a client; once that worker is gone, they do both themselves
// (`status` through a gRPC client of its own, loading none of Temporal's packages).
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
    let viaWorker: Awaited<ReturnType<typeof statusAndList>> | undefined;
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
      viaWorker = await statusAndList(plan.name, env, stateDir);
      expect(viaWorker.loaded).toMatchObject({ client: false, grpc: false });
    } finally {
      // Whatever failed, nothing of the plan is left running (its ports would be another test's).
      await run(process.execPath, [cli, 'down', file], { env }).catch(() => undefined);
      await worker.stop();
    }
    expect(existsSync(record)).toBe(false);
    const ownClient = await statusAndList(plan.name, env, stateDir);
    expect(ownClient.loaded).toEqual({ client: false, temporal: false, grpc: true });
    expect(ownClient.status).toEqual(viaWorker?.status);
    expect(ownClient.list).toEqual(viaWorker?.list);

    try {
      const second = await run(process.execPath, [cli, 'up', file, '--no-supervise', '--id', 'reuse-second'], {
        env,
      });
      expect(second.stderr).not.toContain('using the running worker');
      expect(second.stdout).toMatch(/^boot succeeded$/m);
    } finally {
      await run(process.execPath, [cli, 'down', file], { env }).catch(() => undefined);
    }
  }, 180_000);
});

/**
 * `status <plan> --json` and `list --plan <plan>` as a user runs them, and whether the `status` process loaded any of
 * Temporal's packages or a gRPC client: a preloaded module lists what the process loaded when it exits.
 */
async function statusAndList(
  planName: string,
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<{ status: unknown; list: string; loaded: { client: boolean; temporal: boolean; grpc: boolean } }> {
  const preload = join(dir, 'loaded-modules.cjs');
  const loadedFile = join(dir, 'loaded-modules.json');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loadedFile)}, JSON.stringify(Object.keys(require.cache))));`,
  );
  const status = await run(process.execPath, ['--require', preload, cli, 'status', planName, '--json'], { env });
  const loaded = JSON.parse(readFileSync(loadedFile, 'utf8')) as string[];
  const list = await run(process.execPath, [cli, 'list', '--plan', planName], { env });
  const boot = JSON.parse(status.stdout) as Record<string, unknown>;
  expect(boot).toMatchObject({ plan: planName, phase: 'succeeded' });
  return {
    status: boot,
    list: list.stdout,
    loaded: {
      client: loaded.some((file) => file.includes('/@temporalio/client/')),
      temporal: loaded.some((file) => file.includes('/@temporalio/')),
      grpc: loaded.some((file) => file.includes('/@grpc/grpc-js/')),
    },
  };
}
