import { BootClient } from '../../src/client/boot-client';
import { DockerDriver } from '../../src/drivers/docker/docker-driver';
import type { ResolvedPlan, ServiceSpec } from '../../src/plan/types';
import { tearDown, withWorker } from '../support/boot-worker';
import { cleanupPlan, dockerService, ensureDockerForTests, uniquePlanName } from '../support/docker';
import { testPort } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const drivers = () => ({ docker: new DockerDriver() });
const plans: string[] = [];

beforeAll(() => ensureDockerForTests(), 600_000);
afterAll(() => plans.forEach(cleanupPlan));

/** busybox's httpd serving `body` on the container's port 80, published on `port`; `then` runs beside it. */
function web(port: number, body: string, then = ''): ServiceSpec {
  return dockerService(
    'web',
    {
      command: ['sh', '-c', `mkdir -p /www && echo ${body} > /www/index.html && ${then} exec httpd -f -p 80 -h /www`],
      ports: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80, protocol: 'tcp' }],
    },
    {
      health: {
        probe: { kind: 'http', url: `http://127.0.0.1:${port}/index.html`, expectStatus: [200] },
        timing: {
          intervalMs: 200,
          timeoutMs: 1000,
          retries: 3,
          successThreshold: 1,
          startPeriodMs: 0,
          startIntervalMs: 100,
        },
        preChecks: [],
      },
    },
  );
}

const planOf = (name: string, service: ServiceSpec): ResolvedPlan => ({
  name,
  source: '/test/plan.yaml',
  waves: [{ name: 'w0', index: 0, services: [service.name] }],
  services: [service],
});

const body = (port: number) =>
  fetch(`http://127.0.0.1:${port}/index.html`, { signal: AbortSignal.timeout(2000) })
    .then((r) => r.text())
    .catch(() => undefined);

describe('bootwave update of a Docker container', () => {
  it('replaces it stop-first, and rolls a version whose check fails in the window back to the old container config', async () => {
    const name = uniquePlanName('upd-docker');
    plans.push(name);
    const port = testPort();
    const v1 = planOf(name, web(port, 'v1'));
    // Serves v2, then its page disappears 2 s after the start: HTTP 404 inside the 8 s health window.
    const v2 = planOf(name, web(port, 'v2', '{ (sleep 2; rm /www/index.html) & } &&'));
    const taskQueue = uniqueTaskQueue('upd-docker');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        const { stack, boot } = await client.up(v1);
        expect((await boot.result()).phase).toBe('succeeded');
        await waitFor('supervising', async () => ((await stack.status()).phase === 'supervising' ? true : undefined));
        expect((await body(port))?.trim()).toBe('v1');

        const handle = await client.update(v2, { observeMs: 8000 });
        await waitFor('v2 serving', async () => ((await body(port))?.trim() === 'v2' ? true : undefined));
        const report = await handle.report();
        expect(report.outcome).toBe('rolled-back');
        expect(report.services).toEqual([
          expect.objectContaining({ service: 'web', method: 'stop-first', phase: 'rolled-back' }),
        ]);
        expect(report.methods?.web?.reason).toBe('one container per service: the old one stops first');
        // The old container configuration runs again (its command writes v1).
        expect((await body(port))?.trim()).toBe('v1');
        await waitFor('web healthy under supervision', async () =>
          (await stack.status()).services[0]?.phase === 'healthy' ? true : undefined,
        );
        await tearDown(drivers(), v1, 'upd-docker-down');
      });
    } finally {
      await client.close();
    }
  });
});
