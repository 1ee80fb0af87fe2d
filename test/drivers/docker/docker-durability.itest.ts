import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootClient } from '../../../src/client/boot-client';
import { importCompose } from '../../../src/compose/import-compose';
import { DockerDriver } from '../../../src/drivers/docker/docker-driver';
import type { BootStatus } from '../../../src/contract/status';
import { cleanupPlan, ensureDockerForTests, inspectField, planContainers, uniquePlanName } from '../../support/docker';
import { uniqueTaskQueue } from '../../support/temporal';
import { requireTestEnv } from '../../support/test-env';
import { WorkerProcess } from '../../support/worker-process';
import { waitFor } from '../../support/wait-for';

const plans: string[] = [];
const dirs: string[] = [];
beforeAll(() => ensureDockerForTests(), 600_000);

afterAll(() => {
  for (const plan of plans) cleanupPlan(plan);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** db is healthy after 1 s; api takes 5 s, so a worker killed while api is probing leaves work in flight. */
const composeFile = `
x-svc: &svc
  image: bootwave-test/busybox:1
  healthcheck: { test: [CMD-SHELL, "test -f /tmp/ready"], interval: 250ms, timeout: 2s, retries: 60 }
  stop_grace_period: 1s
services:
  db:
    <<: *svc
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 300"]
  api:
    <<: *svc
    command: ["sh", "-c", "sleep 5; touch /tmp/ready; exec sleep 300"]
    depends_on: { db: { condition: service_healthy } }
  web:
    <<: *svc
    command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 300"]
    depends_on: { api: { condition: service_healthy } }
`;

describe('docker boot durability', () => {
  it('finishes a container boot after the worker is killed -9 mid-probe, with exactly one container per service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootwave-docker-crash-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'docker-compose.yml'), composeFile);
    const name = uniquePlanName('dcrash');
    plans.push(name);
    const imported = importCompose(join(dir, 'docker-compose.yml'), { env: { COMPOSE_PROJECT_NAME: name } });
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    const plan = imported.plan;

    const taskQueue = uniqueTaskQueue('dcrash');
    const logFile = join(dir, 'worker.log');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    let worker = await WorkerProcess.start({ taskQueue, logFile });
    try {
      const handle = await client.start(plan, { strategy: 'dag', workflowId: `dcrash-${taskQueue}` });
      await waitFor('api probing', async () => {
        const status = await handle.status();
        return status.services.find((s) => s.name === 'api')?.phase === 'probing' ? true : undefined;
      });
      const dbId = inspectField(`bootwave-${name}-db`, '{{.Id}}');
      const apiId = inspectField(`bootwave-${name}-api`, '{{.Id}}');
      await worker.kill();
      worker = await WorkerProcess.start({ taskQueue, logFile });
      const result: BootStatus = await handle.result();
      expect(result.failure).toBeUndefined();
      expect(result.phase).toBe('succeeded');
      expect(planContainers(name)).toEqual(['api', 'db', 'web'].map((s) => `bootwave-${name}-${s}`));
      // The containers started before the crash are the same ones, not replacements.
      expect(inspectField(`bootwave-${name}-db`, '{{.Id}}')).toBe(dbId);
      expect(inspectField(`bootwave-${name}-api`, '{{.Id}} {{.RestartCount}}')).toBe(`${apiId} 0`);
    } finally {
      await worker.stop();
      await client.close();
      for (const service of [...plan.services].reverse())
        await new DockerDriver().stop({ plan: name, bootId: '' }, service);
    }
  });
});
