import { execFile, execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { BootClient } from '../../src/client/boot-client';
import { waveWorkflowId } from '../../src/contract/ids';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import { activityRuns } from '../placement/activity-runs';
import { ensureDockerForTests, testImages, uniquePlanName } from '../support/docker';
import { testPort } from '../support/plan-fixture';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';

jest.setTimeout(900_000);

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..');
const docker = async (...args: string[]) => (await run('docker', args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();

let image: string;
beforeAll(() => {
  ensureDockerForTests();
  // What the test command builds after `npm run build` (a no-op when the image matches the build).
  image = execFileSync('bash', ['-c', 'source scripts/lib/worker-image.sh && bootwave_ensure_worker_image'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  }).trim();
}, 900_000);

describe('the worker image (images/worker/Dockerfile)', () => {
  it('runs Node 24 as an unprivileged user, with the runtime dependencies only', async () => {
    expect(image).toMatch(/^bootwave-worker:\d+\.\d+\.\d+$/);
    expect(await docker('image', 'inspect', '-f', '{{.Config.User}}', image)).toBe('10001:10001');
    expect(await docker('run', '--rm', '--entrypoint', 'node', image, '--version')).toMatch(/^v24\./);
    const modules = (await docker('run', '--rm', '--entrypoint', '/bin/ls', image, '/app/node_modules')).split('\n');
    expect(modules).toEqual(expect.arrayContaining(['bootwave', '@temporalio', 'dockerode', 'pino']));
    for (const devOnly of ['jest', 'typescript', 'eslint', 'prettier', 'fast-check'])
      expect({ devOnly, present: modules.includes(devOnly) }).toEqual({ devOnly, present: false });
    // Its own files are read-only to it.
    await expect(
      docker('run', '--rm', '--entrypoint', '/bin/sh', image, '-c', 'touch /app/node_modules/bootwave/x'),
    ).rejects.toThrow(/Permission denied/);
  });

  it("boots and tears down a Docker plan through the engine's socket, connected to the dev server", async () => {
    const taskQueue = uniqueTaskQueue('image');
    const name = uniquePlanName('image');
    const port = testPort();
    const dir = freshDir('worker-image');
    writeFileSync(
      join(dir, 'plan.yaml'),
      stringify({
        name,
        services: {
          web: {
            docker: {
              image: testImages.busybox,
              command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'],
              ports: [`127.0.0.1:${port}:8080`],
              stopGrace: '1s',
            },
            // Probed from inside the worker's container, which shares the host's network.
            health: { check: { kind: 'tcp', host: '127.0.0.1', port }, interval: '200ms' },
          },
          migrate: {
            oneShot: true,
            dependsOn: [{ service: 'web', condition: 'healthy' }],
            docker: { image: testImages.busybox, command: ['sh', '-c', 'echo migrated'] },
          },
        },
      }),
    );
    const loaded = loadPlan(join(dir, 'plan.yaml'));
    if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
    const socket = '/var/run/docker.sock';
    const container = `bootwave-worker-${taskQueue}`;
    await docker(
      'run',
      '--detach',
      '--name',
      container,
      '--network',
      'host',
      '--volume',
      `${socket}:${socket}`,
      '--group-add',
      String(statSync(socket).gid),
      '--env',
      `TEMPORAL_ADDRESS=${requireTestEnv('address')}`,
      '--env',
      `BOOTWAVE_TASK_QUEUE=${taskQueue}`,
      image,
    );
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    const temporal = await testClient();
    try {
      const handle = await client.start(loaded.plan, { workflowId: `image-${taskQueue}` });
      const result = await handle.result();
      expect({ phase: result.phase, failure: result.failure }).toEqual({ phase: 'succeeded', failure: undefined });
      expect(result.services.map((s) => [s.name, s.phase])).toEqual([
        ['web', 'healthy'],
        ['migrate', 'completed'],
      ]);
      // Run by the containerised worker: Node is pid 1 of its container, which no worker outside one is.
      const runs = (
        await Promise.all(loaded.plan.waves.map((w) => activityRuns(temporal, waveWorkflowId(handle.workflowId, w))))
      ).flat();
      expect(runs.length).toBeGreaterThan(0);
      for (const activity of runs) expect(activity.identity).toMatch(/^1@/);
      // The containers it started run on the host's engine, beside the worker's own.
      const running = await docker('ps', '--filter', `label=bootwave.plan=${name}`, '--format', '{{.Names}}');
      expect(running.split('\n').filter(Boolean)).toHaveLength(1);

      const down = await client.down(loaded.plan);
      expect({ stopped: down.stopped.sort(), failed: down.failed }).toEqual({
        stopped: expect.arrayContaining(['web']),
        failed: [],
      });
      expect(await docker('ps', '-a', '--filter', `label=bootwave.plan=${name}`, '--format', '{{.Names}}')).toBe('');
    } finally {
      const logs = await docker('logs', container).catch(() => '');
      await docker('rm', '--force', container).catch(() => undefined);
      await client.close();
      await temporal.connection.close();
      if (logs.includes('"level":50')) process.stderr.write(`worker container log:\n${logs}\n`);
    }
  });
});
