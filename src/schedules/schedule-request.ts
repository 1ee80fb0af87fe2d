import { formatDuration, parseDuration } from '../plan/duration';

/** What `schedule create` asks for, as flags give it (durations as written). */
export interface ScheduleRequest {
  cron?: string;
  every?: string;
  jitter?: string;
  catchupWindow?: string;
  /** Pause the schedule when an update it started fails (default on: a broken rollout should not repeat nightly). */
  pauseOnFailure?: boolean;
  /** IANA time zone of the cron expression (Temporal's default: UTC). */
  timezone?: string;
}

/** The request with durations in milliseconds, checked; Temporal itself checks the cron expression. */
export interface ScheduleTiming {
  cron?: string;
  everyMs?: number;
  jitterMs?: number;
  catchupWindowMs: number;
  pauseOnFailure: boolean;
  timezone?: string;
}

/**
 * Missed firings (server down at 03:00) are taken late by at most this much, then dropped: an update hours late
 * may land in working hours. Temporal's own default is one year.
 */
export const defaultCatchupWindowMs = 10 * 60_000;

/** Checks the flags; every problem at once, each naming its flag. */
export function checkScheduleRequest(request: ScheduleRequest): { timing: ScheduleTiming } | { problems: string[] } {
  const problems: string[] = [];
  const cron = request.cron?.trim();
  if (request.cron !== undefined && !cron) problems.push('--cron is empty');
  if (cron === undefined && request.every === undefined)
    problems.push('give --cron <expression> or --every <duration>');
  if (request.cron !== undefined && request.every !== undefined) problems.push('give --cron or --every, not both');
  const duration = (flag: string, value: string | undefined, min: number): number | undefined => {
    if (value === undefined) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined) problems.push(`${flag}: invalid duration "${value}": expected e.g. 30s, 10m, 1h, 1h30m`);
    else if (ms < min) problems.push(`${flag} must be at least ${formatDuration(min)}, got "${value}"`);
    return ms;
  };
  const everyMs = duration('--every', request.every, 1000);
  const jitterMs = duration('--jitter', request.jitter, 0);
  const catchupWindowMs = duration('--catchup-window', request.catchupWindow, 10_000) ?? defaultCatchupWindowMs;
  if (problems.length > 0) return { problems };
  return {
    timing: {
      ...(cron ? { cron } : {}),
      ...(everyMs === undefined ? {} : { everyMs }),
      ...(jitterMs === undefined ? {} : { jitterMs }),
      catchupWindowMs,
      pauseOnFailure: request.pauseOnFailure ?? true,
      ...(request.timezone ? { timezone: request.timezone } : {}),
    },
  };
}
