import { Context } from '@temporalio/activity';
import type { WatchProgress, WatchServiceInput, WatchServiceResult } from '../contract/supervision';
import type { Driver, DriverContext } from '../drivers/driver';
import { defaultProbeTiming } from '../plan/defaults';
import type { CompositeProbe, LeafProbe, ServiceSpec } from '../plan/types';
import type { ListeningSockets } from '../probes/listening-sockets';
import { clip } from '../probes/probe-result';
import { runProbe } from '../probes/run-probe';
import { servicePorts } from '../supervision/plan-without';
import { abortableSleep } from './abortable-sleep';
import { establishedConnections } from './tcp-connections';

/** Seen by the metrics endpoint: each probe round's latency and outcome. */
export type WatchListener = (service: ServiceSpec, round: { ok: boolean; latencyMs: number }) => void;

/** What one watched service is expected to do next, and what it reports. */
export interface WatchTerms {
  /** `up`: report a failure (exit, removal, `retries` failed probes); `down`: report a recovery. */
  expect: 'up' | 'down';
  /** On-demand services: report `idle` after this long without a TCP connection to their ports. */
  idleAfterMs?: number;
}

/** How a watch runs its checks: who sees each round, and the worker's shared socket table for TCP checks. */
export interface WatchProbing {
  onRound?: WatchListener;
  listening?: ListeningSockets;
}

/** A change of state seen by a round, or none. */
export type RoundResult = Exclude<WatchServiceResult, { kind: 'unchanged' }> | undefined;

export function freshProgress(nowMs = Date.now()): WatchProgress {
  return { startedAtMs: nowMs, consecutiveFailures: 0, consecutiveSuccesses: 0, lastOutput: '' };
}

/**
 * One running service's watch: its counters and one round (an inspect, then its steady check). Only a change of
 * state is a result: with `expect: 'up'`, an exit, a removal, idleness, or `retries` failed probes in a row; with
 * `expect: 'down'`, `successThreshold` passing probes. Used alone (`watchService`) and in a batch (`watchServices`).
 */
export class ServiceWatch {
  readonly timing;
  private readonly check;
  private readonly ports: number[];

  constructor(
    private readonly driver: Driver,
    private readonly ctx: DriverContext,
    readonly service: ServiceSpec,
    private readonly terms: WatchTerms,
    public progress: WatchProgress,
    private readonly probing: WatchProbing = {},
  ) {
    this.timing = service.health?.timing ?? defaultProbeTiming;
    this.check = service.health ? steadyCheck(service) : undefined;
    this.ports = terms.idleAfterMs === undefined ? [] : servicePorts(service);
  }

  /** While it counts failures or waits for a recovery, its counters are worth a heartbeat at every round. */
  get counting(): boolean {
    return this.terms.expect === 'down' || this.progress.consecutiveFailures > 0;
  }

  /**
   * Inspects and checks once. A round cut short by `signal` (the watch is ending) changes nothing: a probe it
   * aborted is no failure of the service.
   */
  async round(signal: AbortSignal): Promise<RoundResult> {
    const { service, terms } = this;
    const state = await (this.driver.inspectSteady ?? this.driver.inspect).call(this.driver, this.ctx, service);
    // Expecting a recovery, a service that is still down is no news.
    if (terms.expect === 'up' && state.phase === 'exited')
      return { kind: 'exited', atMs: Date.now(), exitCode: state.exitCode, logTail: state.logTail };
    if (terms.expect === 'up' && state.phase === 'absent') return { kind: 'absent', atMs: Date.now() };
    const running = state.phase === 'running';
    let progress = this.progress;
    // The engine restarted it between two rounds (its restart policy): it died, and runs again already.
    const engineRestarts = running ? state.engineRestarts : undefined;
    if (running) {
      const count = engineRestarts?.count ?? 0;
      if (terms.expect === 'up' && engineRestarts && count > (progress.engineRestarts ?? count))
        return {
          kind: 'exited',
          atMs: Date.now(),
          exitCode: engineRestarts.lastExitCode,
          logTail: '',
          engineRestarts: count,
        };
      progress = { ...progress, engineRestarts: count };
    }
    if (!running) {
      progress = { ...progress, consecutiveSuccesses: 0 };
    } else if (state.notReady !== undefined) {
      // Its own readiness (a rollout, a HEALTHCHECK) fails: a failed round, whatever a probe would say.
      progress = {
        ...progress,
        lastOutput: clip(state.notReady),
        consecutiveFailures: progress.consecutiveFailures + 1,
        consecutiveSuccesses: 0,
      };
    } else if (this.check) {
      const began = Date.now();
      const { listening, onRound } = this.probing;
      const result = await runProbe(this.check, { timeoutMs: this.timing.timeoutMs, signal, listening });
      if (signal.aborted) return undefined;
      const latencyMs = Date.now() - began;
      onRound?.(service, { ok: result.ok, latencyMs });
      progress = {
        ...progress,
        latencyMs,
        // Only a failure's output is ever reported (the unhealthy reason); a passing one would only weigh heartbeats.
        lastOutput: result.ok ? '' : clip(result.output),
        consecutiveFailures: result.ok ? 0 : progress.consecutiveFailures + 1,
        consecutiveSuccesses: result.ok ? progress.consecutiveSuccesses + 1 : 0,
      };
    } else {
      progress = { ...progress, consecutiveSuccesses: progress.consecutiveSuccesses + 1, consecutiveFailures: 0 };
    }
    const atMs = Date.now();
    if (terms.idleAfterMs !== undefined && running) {
      const inUse = establishedConnections(this.ports) > 0;
      // In use until the first round that finds no connection: the last one closed somewhere in between, so the
      // idle time starts there and a service never stops before its idle timeout has passed since that close.
      if (inUse || progress.inUse || progress.lastActiveAtMs === undefined)
        progress = { ...progress, lastActiveAtMs: atMs, inUse };
      const idleForMs = atMs - progress.lastActiveAtMs!;
      this.progress = progress;
      if (terms.expect === 'up' && idleForMs >= terms.idleAfterMs) return { kind: 'idle', atMs, idleForMs };
    }
    this.progress = progress;
    if (terms.expect === 'up' && progress.consecutiveFailures >= this.timing.retries)
      return { kind: 'unhealthy', atMs, reason: progress.lastOutput, latencyMs: progress.latencyMs };
    if (terms.expect === 'down' && progress.consecutiveSuccesses >= this.timing.successThreshold)
      return {
        kind: 'healthy',
        atMs,
        latencyMs: progress.latencyMs,
        ...(engineRestarts ? { engineRestarts: engineRestarts.count } : {}),
      };
    return undefined;
  }
}

/**
 * Watches one running service at its steady `interval`, in one long heartbeating activity, and returns only on a
 * change of state (see `ServiceWatch`). After `windowMs` without a change it returns `unchanged` (the workflow
 * schedules the next window), so each service adds a few events per window to the history. A retry after a worker
 * crash resumes the counters from the last heartbeat. Stacks supervise with `watchServices` now; an update's health
 * window and stacks recorded before the batches still use this.
 */
export async function watchService(
  driver: Driver,
  ctx: DriverContext,
  input: WatchServiceInput,
  onRound: WatchListener = () => {},
): Promise<WatchServiceResult> {
  const activity = Context.current();
  const resumed = activity.info.heartbeatDetails as WatchProgress | undefined;
  const watch = new ServiceWatch(driver, ctx, input.service, input, resumed ?? freshProgress(), { onRound });
  const beatEveryMs = steadyHeartbeatMs(activity.info.heartbeatTimeoutMs);
  let lastBeatAtMs = 0;
  for (;;) {
    const change = await watch.round(activity.cancellationSignal);
    if (change) return change;
    const atMs = Date.now();
    if (atMs - watch.progress.startedAtMs >= input.windowMs)
      return { kind: 'unchanged', atMs, latencyMs: watch.progress.latencyMs };
    if (watch.counting || atMs - lastBeatAtMs >= beatEveryMs) {
      activity.heartbeat(watch.progress);
      lastBeatAtMs = atMs;
    }
    await abortableSleep(watch.timing.intervalMs, activity.cancellationSignal);
  }
}

/**
 * How often a watch with nothing to report heartbeats: a third of its heartbeat timeout, so a live worker is never
 * taken for dead. Each heartbeat costs the worker a payload conversion and a call into its native core, and 200
 * idle watches heartbeating every round cost more than their probes; what a resumed watch needs (its counters) is
 * sent at once whenever a failure is being counted.
 */
export function steadyHeartbeatMs(heartbeatTimeoutMs: number | undefined): number {
  return Math.max(1000, Math.floor((heartbeatTimeoutMs ?? 10_000) / 3));
}

/** After the boot every critical stage of a staged check must keep passing; non-critical stages are not watched. */
function steadyCheck(service: ServiceSpec): LeafProbe | CompositeProbe | undefined {
  const probe = service.health?.probe;
  if (!probe || probe.kind !== 'staged') return probe;
  const checks = probe.stages
    .filter((stage) => stage.critical)
    .flatMap((stage) => (stage.check.kind === 'composite' ? stage.check.checks : [stage.check]));
  return checks.length === 1 ? checks[0] : { kind: 'composite', checks };
}
