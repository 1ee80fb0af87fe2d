import { Context } from '@temporalio/activity';
import type { WatchChange, WatchProgress, WatchServicesInput, WatchServicesResult } from '../contract/supervision';
import type { Driver, DriverContext } from '../drivers/driver';
import { nonRetryableErrorTypes } from '../errors';
import type { ServiceSpec } from '../plan/types';
import type { ListeningSockets } from '../probes/listening-sockets';
import { abortableSleep } from './abortable-sleep';
import { freshProgress, ServiceWatch, type WatchListener } from './watch-service';

/** How often the batch tells the server it is alive, with every member's counters: one heartbeat for all. */
export const batchHeartbeatMs = 1000;

/** A member whose inspect or check throws (an engine that does not answer) tries again after this, doubling. */
const erroredRoundRetryMs = { initial: 1000, max: 10_000 };

export interface BatchDeps {
  /** The driver for a service; throws a `PlanError` when the worker has none for it. */
  driverFor(service: ServiceSpec): Driver;
  /** The members' current specs, from the stack that scheduled the batch (they are not in the input). */
  specsOf(names: string[], signal: AbortSignal): Promise<ServiceSpec[]>;
  /** Aborted when the worker starts to shut down: a batch that has not begun hands back at once. */
  shuttingDown?: AbortSignal;
  onRound?: WatchListener;
  /** The worker's listening-socket table, shared by every batch it runs (see `ListeningSockets`). */
  listening?: ListeningSockets;
}

/**
 * Watches a stack's services on one worker in one heartbeating activity — one heartbeat and one activity per
 * worker, not per service, which is most of what supervising an idle stack cost. Each member runs its own rounds at
 * its steady interval (`ServiceWatch`); the batch returns as soon as a member has a change to report, when its
 * window ends, or when it is cancelled (the stack changed who is watched) — every time with every member's
 * counters, so the next batch resumes them. A retry after a worker crash resumes them from the last heartbeat.
 */
export async function watchServices(deps: BatchDeps, input: WatchServicesInput): Promise<WatchServicesResult> {
  const activity = Context.current();
  const resumed = activity.info.heartbeatDetails as Record<string, WatchProgress> | undefined;
  const ctx: DriverContext = { plan: input.plan, bootId: input.bootId };
  /** Where a member's counters stand: the last heartbeat's after a retry, else what the stack handed in. */
  const startingProgress = (member: WatchServicesInput['members'][number]) =>
    resumed?.[member.name] ?? member.progress ?? freshProgress();
  // A worker that leaves (a CLI command's, at its end) while the stack is asked would wait for a workflow poller
  // that is gone: the batch hands its members back unchanged instead, and the stack schedules it again.
  const leaving = AbortSignal.any(
    [activity.cancellationSignal, deps.shuttingDown].filter((signal): signal is AbortSignal => signal !== undefined),
  );
  let specList: ServiceSpec[];
  try {
    specList = await deps.specsOf(
      input.members.map((m) => m.name),
      leaving,
    );
  } catch (error) {
    if (!leaving.aborted) throw error;
    const handedBack = Object.fromEntries(input.members.map((m) => [m.name, startingProgress(m)]));
    return { changes: [], progress: handedBack, windowEnded: false };
  }
  const specs = new Map(specList.map((s) => [s.name, s]));
  const changes: WatchChange[] = [];
  const watches: ServiceWatch[] = [];
  const probing = { onRound: deps.onRound, listening: deps.listening };
  for (const member of input.members) {
    const spec = specs.get(member.name);
    // Gone from the stack since the batch was scheduled: the stack no longer waits for it.
    if (!spec) continue;
    try {
      const memberCtx = member.slot ? { ...ctx, slot: member.slot } : ctx;
      watches.push(new ServiceWatch(deps.driverFor(spec), memberCtx, spec, member, startingProgress(member), probing));
    } catch (error) {
      changes.push({ name: member.name, notWatched: errorText(error) });
    }
  }
  const progressOfAll = () => Object.fromEntries(watches.map((w) => [w.service.name, w.progress]));
  if (changes.length > 0) return { changes, progress: progressOfAll(), windowEnded: false };

  // Aborted when the batch ends, whatever ends it: every member's loop stops and an aborted round counts nothing.
  const ending = new AbortController();
  const end = () => ending.abort();
  activity.cancellationSignal.addEventListener('abort', end, { once: true });
  const window = setTimeout(end, input.windowMs);
  const heartbeat = setInterval(() => activity.heartbeat(progressOfAll()), batchHeartbeatMs);
  activity.heartbeat(progressOfAll());
  try {
    await Promise.all(
      watches.map(async (watch) => {
        let retryMs = erroredRoundRetryMs.initial;
        while (!ending.signal.aborted) {
          let pauseMs = watch.timing.intervalMs;
          try {
            const change = await watch.round(ending.signal);
            if (ending.signal.aborted) return;
            if (change) {
              changes.push({ name: watch.service.name, result: change });
              return end();
            }
            retryMs = erroredRoundRetryMs.initial;
          } catch (error) {
            if (ending.signal.aborted) return;
            if (nonRetryableErrorTypes.includes((error as Error).name)) {
              changes.push({ name: watch.service.name, notWatched: errorText(error) });
              return end();
            }
            activity.log.warn('watch round failed; trying again', {
              service: watch.service.name,
              error: errorText(error),
            });
            pauseMs = retryMs;
            retryMs = Math.min(retryMs * 2, erroredRoundRetryMs.max);
          }
          await abortableSleep(pauseMs, ending.signal).catch(() => undefined);
        }
      }),
    );
  } finally {
    clearTimeout(window);
    clearInterval(heartbeat);
    activity.cancellationSignal.removeEventListener('abort', end);
  }
  // Cancelled: the stack still gets the counters, as a normal result (it waits for the cancellation to complete).
  const windowEnded = changes.length === 0 && !activity.cancellationSignal.aborted;
  return { changes, progress: progressOfAll(), windowEnded };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
