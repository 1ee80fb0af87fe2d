import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';
import { randomTestPort } from '../support/plan-fixture';
import { tearDown, withWorker } from '../support/boot-worker';
import { isListening } from '../support/net';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { supervising } from '../supervision/supervised-stack';
import { answeringName } from './update-fixture';

// A real Prometheus (Debian's package) scrapes both versions of a real service every second. The service's check
// is its own /health (which keeps passing: the new version is alive) and a `prometheus` check of its own error
// rate; the rolling update's health window watches that check, so the error rate climbing rolls the update back.
const errorRateService = join(__dirname, '..', 'support', 'error-rate-service.js');
const drivers = () => ({ process: new ProcessDriver() });
const errorRate = (port: number) =>
  `sum(rate(errors_total{instance="127.0.0.1:${port}"}[5s])) / sum(rate(requests_total{instance="127.0.0.1:${port}"}[5s]))`;

let dir: string;
let oldPort: number;
let newPort: number;
let prometheus: PrometheusServer;
beforeAll(async () => {
  dir = freshDir('upd-prom');
  oldPort = await randomTestPort();
  newPort = await randomTestPort();
  prometheus = await startPrometheus(dir, [`127.0.0.1:${oldPort}`, `127.0.0.1:${newPort}`]);
});
afterAll(() => prometheus?.stop());

/** One version of the plan: the service on `port`, named `version`, checked by /health and its error rate. */
function shopPlan(name: string, port: number, version: string): ResolvedPlan {
  const file = join(dir, `${version}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      'services:',
      '  shop:',
      `    process: { command: [node, ${errorRateService}, --port, '${port}', --name, ${version}] }`,
      '    startTimeout: 60s',
      '    health:',
      '      check:',
      '        kind: composite',
      '        checks:',
      `          - { kind: http, url: 'http://127.0.0.1:${port}/health', expectStatus: [200] }`,
      `          - { kind: prometheus, url: '${prometheus.url}', query: '${errorRate(port)}', below: 0.05 }`,
      // Until Prometheus has two scrapes the rate has no samples ("not ready"): the start period covers that.
      '      startPeriod: 60s',
      '      startInterval: 500ms',
      '      interval: 500ms',
      '      timeout: 2s',
      '      retries: 2',
      '',
    ].join('\n'),
  );
  const loaded = loadPlan(file);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
  return loaded.plan;
}

it('rolls back a new version whose error rate climbs in the health window (prometheus check): the old one serves', async () => {
  const name = uniqueTaskQueue('upd-prom');
  const v1 = shopPlan(name, oldPort, 'shop');
  const v2 = shopPlan(name, newPort, 'shop-v2');
  const taskQueue = uniqueTaskQueue('upd-prom-q');
  const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
  try {
    await withWorker({ taskQueue, drivers: drivers() }, async () => {
      const stack = await supervising(client, v1);

      const handle = await client.update(v2, { observeMs: 60_000 });
      await waitFor('the new version in its health window', async () =>
        (await handle.progress())?.services.find((s) => s.service === 'shop')?.phase === 'observing' ? true : undefined,
      );
      // The new version passed its gate and answers; now it starts failing its users (its own /health stays 200).
      expect(await answeringName(newPort)).toBe('shop-v2');
      expect((await fetch(`http://127.0.0.1:${newPort}/fail`, { method: 'POST' })).ok).toBe(true);
      const report = await handle.report();

      expect(report.outcome).toBe('rolled-back');
      // The /health half of the check passes; the error rate (Prometheus's own extrapolated value) does not.
      const reason =
        /^critical service shop failed: unhealthy in the health window: 1 of 2 checks fail: (\S+) is not below 0\.05$/.exec(
          report.reason ?? '',
        );
      expect(reason).not.toBeNull();
      expect(Number(reason![1])).toBeGreaterThan(0.05);
      expect(report.services).toEqual([
        expect.objectContaining({ service: 'shop', method: 'start-first', phase: 'rolled-back' }),
      ]);
      // The old version serves again, on its port, with its own argv; the new one is gone.
      const health = (await (await fetch(`http://127.0.0.1:${oldPort}/health`)).json()) as {
        service: { name: string; argv: string[] };
      };
      expect(health.service).toEqual({ name: 'shop', argv: ['--port', String(oldPort), '--name', 'shop'] });
      expect(await isListening(newPort)).toBe(false);
      expect((await client.runningPlan(name)).services[0]!.target).toEqual(v1.services[0]!.target);
      const after = await waitFor('the stack supervising the old version', async () => {
        const status = await stack.status();
        return status.update === undefined || status.update.outcome === 'rolled-back' ? status : undefined;
      });
      expect(after.services.map((s) => [s.name, s.phase])).toEqual([['shop', 'healthy']]);
      await tearDown(drivers(), v1, 'upd-prom-down');
    });
  } finally {
    await client.close();
  }
}, 240_000);
