import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BootStatus } from '../contract/status';
import type { StackStatus } from '../contract/supervision';
import type { WaveSpec } from '../plan/types';
import { serviceHealthStatus, stackHealth } from '../supervision/stack-health';

/** Where a scrape reads the supervised stacks from (the worker's client; a fake in unit tests). */
export type StackSource = () => Promise<StackStatus[]>;

const breakerValue = { closed: 0, 'half-open': 1, open: 2 } as const;
const healthValue = { healthy: 0, degraded: 1, unhealthy: 2 } as const;
const startBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * The worker's Prometheus metrics (the only module that imports prom-client). Supervision gauges are read from the
 * stack workflows at each scrape, so every worker reports the same durable truth; durations and probe latencies
 * are observed in this process as its activities see them.
 */
export class BootwaveMetrics {
  readonly registry = new Registry();
  private readonly bootDuration: Histogram;
  private readonly bootLast: Gauge;
  private readonly waveDuration: Histogram;
  private readonly waveDeadlineMissed: Counter;
  private readonly serviceStart: Histogram;
  private readonly serviceStartLast: Gauge;
  private readonly probeLatency: Histogram;
  private readonly collectSupervision: () => Promise<void>;

  constructor(stacks: StackSource) {
    const registers = [this.registry];
    this.bootDuration = new Histogram({
      name: 'bootwave_boot_duration_seconds',
      help: 'Time from the start of a boot to its end',
      labelNames: ['plan', 'phase'],
      buckets: startBuckets,
      registers,
    });
    this.bootLast = new Gauge({
      name: 'bootwave_boot_last_duration_seconds',
      help: "The plan's last boot duration (alert: startup over budget)",
      labelNames: ['plan'],
      registers,
    });
    this.waveDuration = new Histogram({
      name: 'bootwave_wave_duration_seconds',
      help: "Time from a wave's first service start to its last service ready",
      labelNames: ['plan', 'wave'],
      buckets: startBuckets,
      registers,
    });
    this.waveDeadlineMissed = new Counter({
      name: 'bootwave_wave_deadline_missed_total',
      help: 'Waves that were not ready within their deadline',
      labelNames: ['plan', 'wave'],
      registers,
    });
    this.serviceStart = new Histogram({
      name: 'bootwave_service_start_duration_seconds',
      help: 'Time from a service start to ready',
      labelNames: ['plan', 'service', 'wave'],
      buckets: startBuckets,
      registers,
    });
    this.serviceStartLast = new Gauge({
      name: 'bootwave_service_startup_seconds',
      help: "A service's last start-to-ready time (the seed's startup_time_seconds)",
      labelNames: ['plan', 'service', 'wave'],
      registers,
    });
    this.probeLatency = new Histogram({
      name: 'bootwave_probe_latency_seconds',
      help: 'Latency of supervision health probes',
      labelNames: ['plan', 'service', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });

    // The supervision gauges are read from the stacks once per scrape, before the registry is serialized (prom-client
    // collects metrics concurrently, so one metric's collect hook cannot set the others in time).
    this.collectSupervision = async () => {
      const all = await stacks();
      for (const metric of [up, crashLoop, breaker, stack]) metric.reset();
      restarts.reset();
      const now = Date.now();
      for (const status of all) {
        const plan = status.plan;
        const doc = stackHealth(
          {
            plan,
            supervisingSinceMs: status.supervisingSinceMs ?? now,
            services: status.services,
            breakers: status.breakers,
          },
          now,
        );
        stack.set({ plan }, healthValue[doc.status]);
        for (const s of status.services) {
          const labels = { plan, service: s.name };
          up.set({ ...labels, critical: String(s.critical) }, serviceHealthStatus(s) === 'unhealthy' ? 0 : 1);
          crashLoop.set(labels, s.phase === 'crash-loop' ? 1 : 0);
          restarts.inc(labels, s.restarts);
        }
        for (const [edge, b] of Object.entries(status.breakers)) {
          const [dependent, dependency] = edge.split('->');
          breaker.set({ plan, dependent, dependency }, breakerValue[b.state]);
        }
      }
    };
    const stack: Gauge = new Gauge({
      name: 'bootwave_stack_health',
      help: "The stack's aggregated health: 0 healthy, 1 degraded, 2 unhealthy",
      labelNames: ['plan'],
      registers,
    });
    const up = new Gauge({
      name: 'bootwave_service_up',
      help: '1 when a supervised service is healthy or degraded, else 0',
      labelNames: ['plan', 'service', 'critical'],
      registers,
    });
    const crashLoop = new Gauge({
      name: 'bootwave_service_crash_loop',
      help: '1 while a service is given up as a crash loop',
      labelNames: ['plan', 'service'],
      registers,
    });
    const restarts = new Counter({
      name: 'bootwave_service_restarts_total',
      help: 'Restarts bootwave made of a service, across runs of its stack',
      labelNames: ['plan', 'service'],
      registers,
    });
    const breaker = new Gauge({
      name: 'bootwave_breaker_state',
      help: 'Circuit breaker per dependency edge: 0 closed, 1 half-open, 2 open',
      labelNames: ['plan', 'dependent', 'dependency'],
      registers,
    });
  }

  /** One supervision probe round. */
  observeProbe(plan: string, service: string, round: { ok: boolean; latencyMs: number }): void {
    this.probeLatency.observe({ plan, service, outcome: round.ok ? 'pass' : 'fail' }, round.latencyMs / 1000);
  }

  /** A finished boot: its duration, each wave's (and whether it missed its deadline), each service's start. */
  observeBoot(boot: BootStatus, waves: Pick<WaveSpec, 'name' | 'deadlineMs'>[]): void {
    const plan = boot.plan;
    if (boot.finishedAtMs !== undefined) {
      const seconds = (boot.finishedAtMs - boot.startedAtMs) / 1000;
      this.bootDuration.observe({ plan, phase: boot.phase }, seconds);
      this.bootLast.set({ plan }, seconds);
    }
    for (const wave of waves) {
      const services = boot.services.filter((s) => s.wave === wave.name);
      const starts = services.flatMap((s) => (s.startedAtMs === undefined ? [] : [s.startedAtMs]));
      const readies = services.flatMap((s) => (s.readyAtMs === undefined ? [] : [s.readyAtMs]));
      const durationMs = starts.length && readies.length ? Math.max(...readies) - Math.min(...starts) : undefined;
      if (durationMs !== undefined && readies.length === services.length)
        this.waveDuration.observe({ plan, wave: wave.name }, durationMs / 1000);
      const missedByFailure = boot.failure?.includes(`wave ${wave.name} not ready after`) ?? false;
      const missedByTime = wave.deadlineMs !== undefined && durationMs !== undefined && durationMs > wave.deadlineMs;
      if (missedByFailure || missedByTime) this.waveDeadlineMissed.inc({ plan, wave: wave.name });
      else this.waveDeadlineMissed.inc({ plan, wave: wave.name }, 0);
    }
    for (const s of boot.services) {
      if (s.startedAtMs === undefined || s.readyAtMs === undefined) continue;
      const seconds = (s.readyAtMs - s.startedAtMs) / 1000;
      this.serviceStart.observe({ plan, service: s.name, wave: s.wave }, seconds);
      this.serviceStartLast.set({ plan, service: s.name, wave: s.wave }, seconds);
    }
  }

  /** The Prometheus text exposition. */
  async text(): Promise<string> {
    await this.collectSupervision();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
