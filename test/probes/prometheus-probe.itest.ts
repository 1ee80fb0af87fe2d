import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { loadPlan } from '../../src/plan/load-plan';
import type { PrometheusProbe } from '../../src/plan/types';
import { runProbe } from '../../src/probes/run-probe';
import { freePort } from '../../src/temporal/free-port';
import { bootToEnd, tearDown } from '../support/boot-worker';
import { testPort } from '../support/plan-fixture';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// A real Prometheus (Debian's package) scraping a real service every second; the service's error rate climbs
// when told to. The prometheus check gates a real boot on it, then fails once the rate climbs.
const errorRateService = join(__dirname, '..', 'support', 'error-rate-service.js');
const drivers = { process: new ProcessDriver() };
const errorRate = 'sum(rate(errors_total[5s])) / sum(rate(requests_total[5s]))';

let dir: string;
let servicePort: number;
let prometheus: PrometheusServer;
beforeAll(async () => {
  dir = freshDir('prometheus-check');
  servicePort = testPort();
  prometheus = await startPrometheus(dir, [`127.0.0.1:${servicePort}`]);
});
afterAll(() => prometheus?.stop());

const probe = (spec: Omit<PrometheusProbe, 'kind'>) => runProbe({ kind: 'prometheus', ...spec }, { timeoutMs: 5_000 });

it('gates a boot on a low error rate, then fails once the error rate climbs', async () => {
  const check: PrometheusProbe = { kind: 'prometheus', url: prometheus.url, query: errorRate, below: 0.05 };
  // Nothing scraped yet: Prometheus answers, with no samples.
  expect(await runProbe(check, { timeoutMs: 5_000 })).toEqual({
    ok: false,
    output: `not ready: the query returned no samples (no data yet?): ${errorRate}`,
  });

  const file = join(dir, 'plan.yaml');
  writeFileSync(
    file,
    [
      `name: ${uniqueTaskQueue('prom-check')}`,
      'services:',
      '  shop:',
      `    process: { command: [node, ${errorRateService}, --port, '${servicePort}'] }`,
      '    startTimeout: 60s',
      '    health:',
      `      check: { kind: prometheus, url: '${prometheus.url}', query: '${errorRate}', below: 0.05 }`,
      '      interval: 500ms',
      '      startInterval: 500ms',
      '',
    ].join('\n'),
  );
  const loaded = loadPlan(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  try {
    const status = await bootToEnd(drivers, loaded.plan, {}, 'prom-boot');
    expect(status.phase).toBe('succeeded');
    const passing = await runProbe(check, { timeoutMs: 5_000 });
    expect(passing).toEqual({ ok: true, output: '0 is below 0.05' });

    await fetch(`http://127.0.0.1:${servicePort}/fail`, { method: 'POST' });
    // Waits for Prometheus to scrape the climbing counter (1 s interval, a 5 s rate window).
    const failing = await waitFor('the check fails', async () => {
      const result = await runProbe(check, { timeoutMs: 5_000 });
      return result.ok ? undefined : result;
    });
    expect(failing.output).toMatch(/^0\.\d+ is not below 0\.05$|^1 is not below 0\.05$/);
    expect(Number(failing.output.split(' ')[0])).toBeGreaterThan(0.05);
    // The same rate passes a check that asks for it to be above the threshold (the comparison, not the data).
    expect((await probe({ url: prometheus.url, query: errorRate, above: 0.05 })).ok).toBe(true);
  } finally {
    await tearDown(drivers, loaded.plan, 'prom-down');
  }
});

it('reports PromQL errors with their message, and what answers when it is not Prometheus', async () => {
  expect(await probe({ url: prometheus.url, query: 'sum(rate(errors_total[5s])', below: 1 })).toEqual({
    ok: false,
    output: expect.stringMatching(/^PromQL error \(bad_data\): .*parse error.*/),
  });
  const notPrometheus = await freePort();
  expect(await probe({ url: `http://127.0.0.1:${notPrometheus}`, query: 'up', below: 1 })).toEqual({
    ok: false,
    output: expect.stringMatching(/^Prometheus: connect ECONNREFUSED 127\.0\.0\.1:\d+$/),
  });
  expect(await probe({ url: `${prometheus.url}/nothing-here`, query: 'up', below: 1 })).toEqual({
    ok: false,
    output: expect.stringMatching(/^HTTP 404 from Prometheus, not its API's JSON: /),
  });
});
