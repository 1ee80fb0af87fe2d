import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import type { StackStatus } from '../../src/contract/supervision';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { stateRoot } from '../../src/drivers/process/process-state';
import { defaultSupervision } from '../../src/plan/defaults';
import type { ResolvedPlan } from '../../src/plan/types';
import { freePort } from '../../src/temporal/free-port';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WorkerProcess } from '../support/worker-process';

const countLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

function onePlan(name: string) {
  const dir = freshDir(`${name}-starts`);
  const startLog = join(dir, 'one.starts');
  const fixture = fixturePlan(name, ['all'], { one: { startLog } });
  const plan: ResolvedPlan = {
    ...fixture.plan,
    services: fixture.plan.services.map((s) => ({
      ...s,
      supervision: { ...defaultSupervision, backoff: { initialMs: 200, maxMs: 2000, factor: 2 } },
    })),
  };
  return { plan, startLog, dir };
}

function kill9(plan: ResolvedPlan, service: string): void {
  const { pid } = JSON.parse(
    readFileSync(join(stateRoot(), 'processes', plan.name, service, 'process.json'), 'utf8'),
  ) as {
    pid: number;
  };
  const child = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  process.kill(child, 'SIGKILL');
}

const one = (status: StackStatus) => status.services.find((s) => s.name === 'one')!;

async function stopAll(plan: ResolvedPlan) {
  for (const service of plan.services) await new ProcessDriver().stop({ plan: plan.name, bootId: '' }, service);
}

describe('supervision across worker crashes, scraped by a real Prometheus', () => {
  it('resumes on a new worker after kill -9 of the worker and restarts a service killed meanwhile, once', async () => {
    const { plan, startLog, dir } = onePlan('sup-worker-crash');
    const taskQueue = uniqueTaskQueue('sup-crash');
    const logFile = join(dir, 'worker.log');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    let worker = await WorkerProcess.start({ taskQueue, logFile });
    try {
      const { stack, boot } = await client.up(plan);
      expect((await boot.result()).phase).toBe('succeeded');
      await waitFor('supervising', async () => ((await stack.status()).phase === 'supervising' ? true : undefined));
      await worker.kill();
      kill9(plan, 'one');
      worker = await WorkerProcess.start({ taskQueue, logFile });
      const status = await waitFor(
        'restarted on the new worker',
        async () => {
          const s = await stack.status();
          return one(s).phase === 'healthy' && one(s).restarts === 1 ? s : undefined;
        },
        90_000,
      );
      expect(one(status).lastExit?.exitCode).toBe(137);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(countLines(startLog)).toBe(2);
      expect(one(await stack.status()).restarts).toBe(1);
      await stack.end('test over');
    } finally {
      await worker.stop();
      await client.close();
      await stopAll(plan);
    }
  });

  it('serves /health and /metrics that a real Prometheus scrapes', async () => {
    const { plan, dir } = onePlan('sup-scrape');
    const taskQueue = uniqueTaskQueue('sup-scrape');
    const metricsPort = await freePort();
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    const worker = await WorkerProcess.start({
      taskQueue,
      logFile: join(dir, 'worker.log'),
      env: { BOOTWAVE_METRICS_PORT: String(metricsPort) },
    });
    const promPort = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        '  - job_name: bootwave',
        `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }]`,
      ].join('\n'),
    );
    const prometheus = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'ignore' },
    );
    try {
      const { stack, boot } = await client.up(plan);
      expect((await boot.result()).phase).toBe('succeeded');
      await waitFor('supervising', async () => ((await stack.status()).phase === 'supervising' ? true : undefined));

      const health = await waitFor('the worker answers /health', async () => {
        const response = await fetch(`http://127.0.0.1:${metricsPort}/health/${plan.name}`);
        return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
      });
      expect(health).toMatchObject({
        status: 'healthy',
        service: { name: plan.name },
        // The readiness check's latency from the boot, before supervision's first window reports one.
        checks: {
          services: { one: { status: 'healthy', phase: 'healthy', restarts: 0, latency_ms: expect.any(Number) } },
        },
      });

      const query = async (expr: string) => {
        const response = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
        const body = (await response.json()) as {
          data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        };
        return body.data.result;
      };
      const up = await waitFor(
        'Prometheus has scraped bootwave_service_up',
        async () => {
          const result = await query(`bootwave_service_up{plan="${plan.name}"}`);
          return result.length > 0 ? result : undefined;
        },
        60_000,
      );
      expect(up).toEqual([
        expect.objectContaining({
          metric: expect.objectContaining({ job: 'bootwave', plan: plan.name, service: 'one', critical: 'true' }),
          value: [expect.any(Number), '1'],
        }),
      ]);
      const starts = await waitFor('boot histogram scraped', async () => {
        const result = await query(`bootwave_service_start_duration_seconds_count{plan="${plan.name}"}`);
        return result.length > 0 ? result : undefined;
      });
      expect(starts[0]!.value[1]).toBe('1');

      kill9(plan, 'one');
      await waitFor(
        'Prometheus sees the restart',
        async () => {
          const result = await query(`bootwave_service_restarts_total{plan="${plan.name}",service="one"}`);
          return result[0]?.value[1] === '1' ? true : undefined;
        },
        60_000,
      );
      await stack.end('test over');
    } finally {
      prometheus.kill('SIGTERM');
      await worker.stop();
      await client.close();
      await stopAll(plan);
    }
  });
});
