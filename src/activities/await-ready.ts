import { Context } from '@temporalio/activity';
import { HealthTimeoutError, TerminalServiceError, UnhealthyServiceError, WorkerShutdownError } from '../errors';
import type { Driver, DriverContext } from '../drivers/driver';
import type { ServiceSpec } from '../plan/types';
import { initialProgress, judgeProbe, stagesOf, type Verdict } from '../probes/judge-probe';
import { runProbe } from '../probes/run-probe';
import type { AwaitReadyResult, ProbeProgress } from '../contract/activities';
import { Alarm } from './abortable-sleep';
import { heartbeatIntervalMs } from './heartbeat-while';

/** How often a one-shot or a check-less service is looked at while it runs. */
const watchIntervalMs = 100;
/**
 * The same while the driver's own readiness watch (rollout status, container health events) is still pending: the
 * watch wakes the loop on readiness and on terminal failures, so looking is only a backstop (an object deleted
 * under us). 1,000 Kubernetes services looked at every 100 ms kept a local API server saturated.
 */
const watchedIntervalMs = 2000;

/**
 * Waits until a service is ready, in one activity that heartbeats its progress: a retry after a worker crash
 * resumes from the last heartbeat (same start time, same counters), so the start budget is not reset.
 * Order each round: has it exited (fail fast, or a one-shot's completion)? pre-checks, then the service's own
 * check; a driver's native readiness (rollout status, container HEALTHCHECK) must pass as well.
 * When `shuttingDown` aborts (SIGTERM), the wait hands over: it heartbeats its progress and fails retryably, so
 * the next worker resumes it at once instead of after the shutdown grace.
 */
export async function awaitReady(
  driver: Driver,
  ctx: DriverContext,
  service: ServiceSpec,
  shuttingDown?: AbortSignal,
): Promise<AwaitReadyResult> {
  const activity = Context.current();
  const stages = service.health ? stagesOf(service.health.probe) : [];
  // Not heartbeated before the first round: a service ready at its first look (no check, or a quick one) costs the
  // server no heartbeat; a slower one records its progress at the end of that round.
  let progress: ProbeProgress =
    (activity.info.heartbeatDetails as ProbeProgress | undefined) ?? initialProgress(stages, Date.now());
  const deadlineMs = progress.startedAtMs + service.startTimeoutMs;
  const signal = activity.cancellationSignal;

  const native = watchNativeReadiness(
    driver,
    ctx,
    service,
    signal,
    (detail) => (progress = { ...progress, lastOutput: detail }),
  );
  let verdict: Verdict = service.health || service.oneShot ? 'pending' : 'healthy';
  let preChecksPassed = !service.health?.preChecks.length;
  let latencyMs: number | undefined;
  // Besides the heartbeat of every round: a slow check or a long interval must not look like a dead worker.
  const beat = setInterval(() => activity.heartbeat(progress), heartbeatIntervalMs);
  // A round's sleep ends early when the driver's readiness watch settles or the worker starts to shut down.
  const alarm = new Alarm();
  const ring = () => alarm.ring();
  if (native.pending) void native.settled.then(ring);
  shuttingDown?.addEventListener('abort', ring, { once: true });
  try {
    for (;;) {
      if (shuttingDown?.aborted) {
        activity.heartbeat(progress);
        throw new WorkerShutdownError(
          `probe of ${service.name} handed over after ${progress.attempts} rounds: this worker is shutting down`,
        );
      }
      // A failure the watch saw before this look is judged with it; one seen during the look waits for the next
      // (the watch rings at once), so the service's own end, when the look finds it, is what is reported.
      const watchError = native.error;
      const state = await driver.inspect(ctx, service);
      if (state.phase === 'exited') {
        if (service.oneShot && state.exitCode === 0) return ready('completed', progress, latencyMs);
        throw new TerminalServiceError(
          `service ${service.name} exited with code ${state.exitCode}${state.logTail ? `: ${lastLines(state.logTail)}` : ''}`,
        );
      }
      if (state.phase === 'absent')
        throw new TerminalServiceError(`service ${service.name} is not running: nothing was found to probe`);
      if (watchError) throw watchError;

      let delayMs = native.pending ? watchedIntervalMs : watchIntervalMs;
      if (!service.oneShot && service.health && verdict === 'pending') {
        const timing = service.health.timing;
        if (!preChecksPassed) {
          preChecksPassed = await runPreChecks(
            service,
            timing.timeoutMs,
            signal,
            (output) => (progress = { ...progress, lastOutput: output }),
          );
          delayMs = preChecksPassed ? 0 : timing.startIntervalMs;
        } else {
          const began = Date.now();
          const result = await runProbe(stages[progress.stage]!.check, { timeoutMs: timing.timeoutMs, signal });
          latencyMs = Date.now() - began;
          const judgement = judgeProbe(progress, result, stages, timing, Date.now());
          progress = judgement.progress;
          verdict = judgement.verdict;
          delayMs = judgement.delayMs;
          if (verdict === 'failed')
            throw new UnhealthyServiceError(`service ${service.name} is unhealthy: ${judgement.reason}`);
        }
      }
      if ((verdict === 'healthy' || verdict === 'degraded') && native.ready) return ready(verdict, progress, latencyMs);
      const now = Date.now();
      if (now + delayMs > deadlineMs) {
        // While the driver's watch is pending, wait for it up to the deadline itself.
        if (!native.pending || now >= deadlineMs)
          throw new HealthTimeoutError(
            `service ${service.name} not healthy after ${service.startTimeoutMs} ms${progress.lastOutput ? `: ${progress.lastOutput}` : ''}`,
          );
        delayMs = deadlineMs - now;
      }
      activity.heartbeat(progress);
      await alarm.sleep(delayMs, signal);
    }
  } finally {
    clearInterval(beat);
    shuttingDown?.removeEventListener('abort', ring);
    native.abort();
  }
}

function ready(outcome: AwaitReadyResult['outcome'], progress: ProbeProgress, latencyMs?: number): AwaitReadyResult {
  const readyAtMs = Date.now();
  return {
    outcome,
    attempts: progress.attempts,
    lastOutput: progress.lastOutput,
    durationMs: readyAtMs - progress.startedAtMs,
    readyAtMs,
    ...(latencyMs === undefined ? {} : { latencyMs }),
  };
}

/** Runs the driver's own readiness wait in the background; drivers without one are ready at once. */
function watchNativeReadiness(
  driver: Driver,
  ctx: DriverContext,
  service: ServiceSpec,
  signal: AbortSignal,
  onProgress: (detail: string) => void,
) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort);
  const state: { ready: boolean; error?: Error; pending: boolean; settled: Promise<void>; abort(): void } = {
    ready: !driver.awaitNativeReady,
    pending: driver.awaitNativeReady !== undefined,
    settled: Promise.resolve(),
    abort: () => {
      signal.removeEventListener('abort', abort);
      controller.abort();
    },
  };
  const wait = driver.awaitNativeReady?.({ ...ctx, signal: controller.signal }, service, {
    signal: controller.signal,
    onProgress,
  });
  if (wait)
    state.settled = wait.then(
      () => {
        state.ready = true;
        state.pending = false;
      },
      (error: unknown) => {
        state.pending = false;
        if (!controller.signal.aborted) state.error = error instanceof Error ? error : new Error(String(error));
      },
    );
  return state;
}

/** The dependency checks before the service's own (Cascade `dependency_checks`): required ones must pass. */
async function runPreChecks(
  service: ServiceSpec,
  timeoutMs: number,
  signal: AbortSignal,
  report: (output: string) => void,
): Promise<boolean> {
  for (const preCheck of service.health?.preChecks ?? []) {
    const result = await runProbe(preCheck.check, { timeoutMs, signal });
    if (!result.ok) {
      report(`pre-check of ${preCheck.service}: ${result.output}`);
      if (preCheck.required) return false;
    }
  }
  return true;
}

/** The end of a log, for a failure message that fits a status line and the workflow history. */
function lastLines(text: string, lines = 3): string {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .slice(-lines)
    .join(' | ')
    .slice(-400);
}
