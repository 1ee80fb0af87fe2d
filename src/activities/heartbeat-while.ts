import { Context } from '@temporalio/activity';

/**
 * How often an activity tells Temporal its worker is alive while it waits on a driver or a probe. The worker sends
 * at most one heartbeat a second (its throttle), so the server hears one every second, well inside the heartbeat
 * timeouts of `activity-options.ts`.
 */
export const heartbeatIntervalMs = 500;

/**
 * Runs `work` while heartbeating `details()` every `intervalMs`. A short heartbeat timeout then tells a dead
 * worker's start or stop from a slow one (an image pull, a large apply): it moves to another worker within seconds,
 * and no short start-to-close timeout cuts real work off. The work itself is never interrupted: a start or stop
 * finishes what it began, also while the worker shuts down.
 * The first beat comes after one interval, not at once: the server counts the heartbeat timeout from the activity's
 * start, and most starts end sooner, so they cost the server no heartbeat (a write of the activity's state each).
 */
export async function heartbeatWhile<T>(
  work: () => Promise<T>,
  details: () => unknown = () => undefined,
  intervalMs = heartbeatIntervalMs,
): Promise<T> {
  const activity = Context.current();
  const timer = setInterval(() => activity.heartbeat(details()), intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
