import type { MaintenanceWindow, UpdateWindowSettings } from '../plan/types';

/**
 * Maintenance windows of rolling updates, decided purely from a clock reading so that the update workflow can
 * call this with `Date.now()` (Temporal's deterministic clock) and unit tests with any instant. Imports types only:
 * safe in workflow code.
 */

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** Open (until when, if windows are set), or closed until the next window opens. */
export type WindowDecision = { open: true; closesAtMs?: number } | { open: false; opensAtMs: number; waitMs: number };

/** What an update does now: go ahead, wait for the next window, or skip (per `outsideWindow`). */
export type WindowGate =
  | { action: 'proceed'; closesAtMs?: number }
  | { action: 'wait'; untilMs: number; waitMs: number; reason: string }
  | { action: 'skip'; reason: string };

/**
 * Whether `nowMs` is inside a window; overlapping or touching windows count as one. No windows: always open.
 * Windows repeat weekly (days × a start time in UTC, at most 7 days long), so a week and a day either side covers
 * every occurrence that can contain `nowMs` or open next.
 */
export function windowDecision(windows: MaintenanceWindow[], nowMs: number): WindowDecision {
  const usable = windows.filter((w) => w.days.length > 0 && w.durationMs > 0);
  if (usable.length === 0) return { open: true };
  const today = Math.floor(nowMs / dayMs);
  const spans: [number, number][] = [];
  for (let day = today - 8; day <= today + 8; day++) {
    const weekday = (day + 4) % 7; // 1970-01-01 (day 0) was a Thursday
    for (const w of usable) {
      if (!w.days.includes(weekday)) continue;
      const start = day * dayMs + w.startMinute * minuteMs;
      spans.push([start, start + w.durationMs]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const current = merged.find(([start, end]) => start <= nowMs && nowMs < end);
  if (current) return { open: true, closesAtMs: current[1] };
  const next = merged.find(([start]) => start > nowMs)!;
  return { open: false, opensAtMs: next[0], waitMs: next[0] - nowMs };
}

/** `windowDecision` with the plan's `outsideWindow` policy applied, and a reason for the update's report. */
export function updateWindowGate(settings: UpdateWindowSettings | undefined, nowMs: number): WindowGate {
  const decision = windowDecision(settings?.windows ?? [], nowMs);
  if (decision.open) return { action: 'proceed', ...(decision.closesAtMs ? { closesAtMs: decision.closesAtMs } : {}) };
  const opens = new Date(decision.opensAtMs).toISOString();
  if (settings?.outsideWindow === 'skip')
    return { action: 'skip', reason: `outside the plan's update windows (next opens ${opens}); outsideWindow: skip` };
  return {
    action: 'wait',
    untilMs: decision.opensAtMs,
    waitMs: decision.waitMs,
    reason: `outside the plan's update windows: waiting until ${opens}`,
  };
}
