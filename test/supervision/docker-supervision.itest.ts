import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BootClient } from '../../src/client/boot-client';
import { stackWorkflowId } from '../../src/contract/supervision';
import { DockerDriver } from '../../src/drivers/docker/docker-driver';
import { loadPlan } from '../../src/plan/load-plan';
import type { ResolvedPlan } from '../../src/plan/types';
import { withWorker } from '../support/boot-worker';
import { cleanupPlan, ensureDockerForTests, inspectField, testImages, uniquePlanName } from '../support/docker';
import { testPort } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { endStack, scheduledActivities, serviceOf, supervising, untilStack } from './supervised-stack';

jest.setTimeout(300_000);

beforeAll(() => ensureDockerForTests(), 600_000);

/** A busybox web server on a published port, checked over TCP every 200 ms. */
function webService(port: number, engineRestart: 'no' | 'always') {
  return {
    docker: {
      image: testImages.busybox,
      command: ['httpd', '-f', '-p', '8080', '-h', '/tmp'],
      ports: [`127.0.0.1:${port}:8080`],
      restart: engineRestart,
      stopGrace: '1s',
    },
    health: { check: { kind: 'tcp', host: '127.0.0.1', port }, interval: '200ms', startPeriod: '20s', retries: 3 },
    restartBackoff: { initial: '200ms' },
  };
}

function dockerPlan(): ResolvedPlan {
  const name = uniquePlanName('sup-docker');
  const dir = freshDir(name);
  const file = join(dir, 'plan.yaml');
  // `mine`: the container has no restart policy, bootwave restarts it. `engines`: the engine's `always` does.
  writeFileSync(
    file,
    stringify({ name, services: { mine: webService(testPort(), 'no'), engines: webService(testPort(), 'always') } }),
  );
  const result = loadPlan(file);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

describe('supervision of containers', () => {
  it('restarts a `docker kill`ed container itself, and counts the restart the engine makes of one with a policy', async () => {
    const plan = dockerPlan();
    const container = (service: string) => `bootwave-${plan.name}-${service}`;
    const taskQueue = uniqueTaskQueue('sup-docker');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: { docker: new DockerDriver() } }, async () => {
        const stack = await supervising(client, plan);

        // No restart policy on the container: bootwave replaces it (stop + start) and counts the restart.
        const mineBefore = inspectField(container('mine'), '{{.Id}}');
        execFileSync('docker', ['kill', container('mine')]);
        const mine = await untilStack(stack, 'mine restarted by bootwave and healthy', (status) => {
          const service = serviceOf(status, 'mine');
          return service.phase === 'healthy' && service.restarts === 1 ? service : undefined;
        });
        expect(mine.lastExit?.exitCode).toBe(137);
        expect(inspectField(container('mine'), '{{.State.Status}} {{.RestartCount}}')).toBe('running 0');
        expect(inspectField(container('mine'), '{{.Id}}')).not.toBe(mineBefore);

        // The engine's `always` restarts its container in place after its process is killed: bootwave sees the death,
        // counts it, shows it healthy again, and never restarts it itself.
        const enginesBefore = inspectField(container('engines'), '{{.Id}}');
        const pid = inspectField(container('engines'), '{{.State.Pid}}');
        execFileSync('kill', ['-9', pid]);
        const engines = await untilStack(stack, 'engines healthy again with one restart', (status) => {
          const service = serviceOf(status, 'engines');
          return service.phase === 'healthy' && service.restarts === 1 ? service : undefined;
        });
        expect(engines.lastExit?.exitCode).toBe(137);
        expect(inspectField(container('engines'), '{{.Id}} {{.RestartCount}}')).toBe(`${enginesBefore} 1`);

        // Only `mine` was stopped and started by the stack; `engines` only watched.
        const activities = await scheduledActivities(client, stackWorkflowId(plan.name));
        expect(activities.filter((type) => type === 'startService')).toHaveLength(1);
        expect(activities.filter((type) => type === 'stopService')).toHaveLength(1);
        const status = await stack.status();
        expect(serviceOf(status, 'mine').restarts).toBe(1);
        expect(serviceOf(status, 'engines').restarts).toBe(1);
        await stack.end('test over');
      });
    } finally {
      await endStack(client, plan);
      await client.close();
      cleanupPlan(plan.name);
    }
  });
});
