import { Context } from '@temporalio/activity';
import type { WatchProgress, WatchServiceInput, WatchServiceResult } from '../contract/supervision';
import type { Driver, DriverContext } from '../drivers/driver';
import { defaultProbeTiming } from '../plan/defaults';
import type { CompositeProbe, LeafProbe, ServiceSpec } from '../plan/types';
import { clip } from '../probes/probe-result';
import { runProbe } from '../probes/run-probe';
import { servicePorts } from '../supervision/plan-without';
import { abortableSleep } from './abortable-sleep';
import { establishedConnections } from './tcp-connections';

/** Seen by the metrics endpoint: each probe round's latency and outcome. */
export type WatchListener = (service: ServiceSpec, round: { ok: boolean; latencyMs: number }) => void;

/**
 * Watches one running service at its steady `interval`, in one long heartbeating activity, and returns only on a
 * change of state: with `expect: 'up'`, an exit, a removal, or `retries` failed probes in a row; with
 * `expect: 'down'`, `successThreshold` passing probes. After `windowMs` without a change it returns `unchanged`
 * (the workflow schedules the next window), so each service adds a few events per window to the history.
 * A retry after a worker crash resumes the counters from the last heartbeat.
 */
export async function watchService(
  driver: Driver,
  ctx: DriverContext,
  input: WatchServiceInput,
  onRound: WatchListener = () => {},
): Promise<WatchServiceResult> {
  const activity = Context.current();
  const { service } = input;
  const timing = service.health?.timing ?? defaultProbeTiming;
  const check = service.health ? steadyCheck(service) : undefined;
  const ports = input.idleAfterMs === undefined ? [] : servicePorts(service);
  let progress: WatchProgress = (activity.info.heartbeatDetails as WatchProgress | undefined) ?? {
    startedAtMs: Date.now(),
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    lastOutput: '',
  };
  const beatEveryMs = steadyHeartbeatMs(activity.info.heartbeatTimeoutMs);
  let lastBeatAtMs = 0;
  for (;;) {
    const state = await (driver.inspectSteady ?? driver.inspect).call(driver, ctx, service);
    const running = state.phase === 'running';
    // Expecting a recovery, a service that is still down is no news.
    if (input.expect === 'up' && state.phase === 'exited')
      return { kind: 'exited', atMs: Date.now(), exitCode: state.exitCode, logTail: state.logTail };
    if (input.expect === 'up' && state.phase === 'absent') return { kind: 'absent', atMs: Date.now() };
    // The engine restarted it between two rounds (its restart policy): it died, and runs again already.
    const engineRestarts = running ? state.engineRestarts : undefined;
    if (running) {
      const count = engineRestarts?.count ?? 0;
      if (input.expect === 'up' && engineRestarts && count > (progress.engineRestarts ?? count))
        return {
          kind: 'exited',
          atMs: Date.now(),
          exitCode: engineRestarts.lastExitCode,
          logTail: '',
          engineRestarts: count,
        };
      progress = { ...progress, engineRestarts: count };
    }
    let ok = true;
    if (!running) {
      progress = { ...progress, consecutiveSuccesses: 0 };
    } else if (state.notReady !== undefined) {
      // Its own readiness (a rollout, a HEALTHCHECK) fails: a failed round, whatever a probe would say.
      ok = false;
      progress = {
        ...progress,
        lastOutput: clip(state.notReady),
        consecutiveFailures: progress.consecutiveFailures + 1,
        consecutiveSuccesses: 0,
      };
    } else if (check) {
      const began = Date.now();
      const result = await runProbe(check, { timeoutMs: timing.timeoutMs, signal: activity.cancellationSignal });
      const latencyMs = Date.now() - began;
      onRound(service, { ok: result.ok, latencyMs });
      ok = result.ok;
      progress = {
        ...progress,
        latencyMs,
        lastOutput: clip(result.output),
        consecutiveFailures: ok ? 0 : progress.consecutiveFailures + 1,
        consecutiveSuccesses: ok ? progress.consecutiveSuccesses + 1 : 0,
      };
    } else {
      progress = { ...progress, consecutiveSuccesses: progress.consecutiveSuccesses + 1, consecutiveFailures: 0 };
    }
    const atMs = Date.now();
    if (input.idleAfterMs !== undefined && running) {
      if (establishedConnections(ports) > 0 || progress.lastActiveAtMs === undefined)
        progress = { ...progress, lastActiveAtMs: atMs };
      const idleForMs = atMs - progress.lastActiveAtMs!;
      if (input.expect === 'up' && idleForMs >= input.idleAfterMs) return { kind: 'idle', atMs, idleForMs };
    }
    if (input.expect === 'up' && progress.consecutiveFailures >= timing.retries)
      return { kind: 'unhealthy', atMs, reason: progress.lastOutput, latencyMs: progress.latencyMs };
    if (input.expect === 'down' && progress.consecutiveSuccesses >= timing.successThreshold)
      return {
        kind: 'healthy',
        atMs,
        latencyMs: progress.latencyMs,
        ...(engineRestarts ? { engineRestarts: engineRestarts.count } : {}),
      };
    if (atMs - progress.startedAtMs >= input.windowMs)
      return { kind: 'unchanged', atMs, latencyMs: progress.latencyMs };
    if (input.expect === 'down' || progress.consecutiveFailures > 0 || atMs - lastBeatAtMs >= beatEveryMs) {
      activity.heartbeat(progress);
      lastBeatAtMs = atMs;
    }
    await abortableSleep(timing.intervalMs, activity.cancellationSignal);
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
