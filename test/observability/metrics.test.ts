import type { BootStatus } from '../../src/contract/status';
import type { StackStatus } from '../../src/contract/supervision';
import { BootwaveMetrics } from '../../src/observability/bootwave-metrics';
import { startMetricsServer } from '../../src/observability/metrics-server';

const now = Date.now();
const stack: StackStatus = {
  plan: 'demo',
  workflowId: 'bootwave-stack-demo',
  phase: 'supervising',
  bootWorkflowId: 'bootwave-demo',
  supervisingSinceMs: now - 60_000,
  services: [
    {
      name: 'db',
      critical: true,
      phase: 'healthy',
      sinceMs: now - 10_000,
      upSinceMs: now - 10_000,
      restarts: 2,
      recentRestartsMs: [],
      blockedBy: [],
      latencyMs: 4,
    },
    {
      name: 'flaky',
      critical: true,
      phase: 'crash-loop',
      sinceMs: now - 5000,
      restarts: 5,
      recentRestartsMs: [],
      blockedBy: [],
      message: 'crash loop (5 restarts in 1m, last exit 1: boom)',
    },
  ],
  breakers: { 'api->db': { state: 'open', failuresMs: [1, 2, 3], openedAtMs: 3 } },
  runs: 0,
  historyLength: 42,
};
const boot: BootStatus = {
  plan: 'demo',
  bootId: 'run-1',
  workflowId: 'bootwave-demo',
  strategy: 'dag',
  onFailure: 'rollback',
  phase: 'succeeded',
  paused: false,
  cancelRequested: false,
  waves: [],
  services: [
    { name: 'db', wave: 'data', critical: true, phase: 'healthy', startedAtMs: 1000, readyAtMs: 1500 },
    { name: 'api', wave: 'apps', critical: true, phase: 'healthy', startedAtMs: 1600, readyAtMs: 4600 },
  ],
  startedAtMs: 900,
  finishedAtMs: 4700,
};

describe('BootwaveMetrics', () => {
  it('exposes supervision state read at scrape time, boot durations and probe latencies', async () => {
    const metrics = new BootwaveMetrics(async () => [stack]);
    metrics.observeBoot(boot, [{ name: 'data' }, { name: 'apps', deadlineMs: 2000 }]);
    metrics.observeProbe('demo', 'db', { ok: true, latencyMs: 4 });
    const text = await metrics.text();
    for (const line of [
      'bootwave_service_up{plan="demo",service="db",critical="true"} 1',
      'bootwave_service_up{plan="demo",service="flaky",critical="true"} 0',
      'bootwave_service_crash_loop{plan="demo",service="flaky"} 1',
      'bootwave_service_restarts_total{plan="demo",service="db"} 2',
      'bootwave_service_restarts_total{plan="demo",service="flaky"} 5',
      'bootwave_breaker_state{plan="demo",dependent="api",dependency="db"} 2',
      'bootwave_stack_health{plan="demo"} 2',
      'bootwave_boot_last_duration_seconds{plan="demo"} 3.8',
      'bootwave_service_startup_seconds{plan="demo",service="api",wave="apps"} 3',
      'bootwave_wave_deadline_missed_total{plan="demo",wave="apps"} 1',
      'bootwave_wave_deadline_missed_total{plan="demo",wave="data"} 0',
      'bootwave_probe_latency_seconds_count{plan="demo",service="db",outcome="pass"} 1',
      'bootwave_service_start_duration_seconds_count{plan="demo",service="db",wave="data"} 1',
    ])
      expect(text.split('\n')).toContain(line);
  });

  it('serves /metrics and the Cascade health document over HTTP, 503 when unhealthy, 404 for an unknown plan', async () => {
    const stacks = async () => [stack];
    const server = await startMetricsServer({ port: 0, metrics: new BootwaveMetrics(stacks), stacks });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(503);
      const doc = (await health.json()) as { status: string; service: { name: string }; checks: { services: object } };
      expect(doc.status).toBe('unhealthy');
      expect(doc.service.name).toBe('demo');
      expect(Object.keys(doc.checks.services)).toEqual(['db', 'flaky']);
      expect((await fetch(`${base}/health/demo`)).status).toBe(503);
      expect((await fetch(`${base}/health/other`)).status).toBe(404);
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('bootwave_service_up{plan="demo",service="db",critical="true"} 1');
    } finally {
      await server.close();
    }
  });
});
