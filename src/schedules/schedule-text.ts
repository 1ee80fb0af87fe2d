import { formatDuration } from '../plan/duration';
import { Weekdays, type UpdateWindowSettings } from '../plan/types';
import { windowDecision } from './maintenance-window';
import type { UpdateScheduleDetails, UpdateScheduleSummary } from './update-schedules';
import { counted } from '../counted';

const time = (date: Date | undefined) => (date ? date.toISOString() : '—');

/** One line per schedule: ID, plan, when, state, next and last run. */
export function scheduleListLines(schedules: UpdateScheduleSummary[]): string[] {
  if (schedules.length === 0) return ['no update schedules on this server'];
  const rows = schedules.map((s) => [
    s.id,
    s.plan,
    s.when,
    s.paused ? 'paused' : 'active',
    `next ${s.paused ? '— (paused)' : time(s.nextRun)}`,
    `last ${time(s.lastRun)}`,
  ]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

/** `schedule describe`: what the schedule runs (a plan snapshot), when, its policies and what it has done. */
export function scheduleDescribeLines(d: UpdateScheduleDetails): string[] {
  const lines = [`schedule ${d.id} · ${d.paused ? 'paused' : 'active'}${d.note ? ` · note: ${d.note}` : ''}`];
  if (d.snapshot)
    lines.push(
      `  runs: ${d.workflowType} of plan ${d.snapshot.plan} (${counted(d.snapshot.services, 'service')}) ` +
        `as resolved from ${d.snapshot.source} at ${d.snapshot.takenAt} (snapshot ${d.snapshot.hash})`,
      `        edits to that file do not reach this schedule: \`bootwave schedule update ${d.id} <plan>\` replaces the snapshot`,
    );
  else lines.push(`  runs: ${d.workflowType} (no bootwave plan in its input)`);
  lines.push(`  on: task queue ${d.taskQueue}, workflow IDs ${d.workflowId}-<scheduled time>`);
  const extras = [d.jitterMs ? `jitter ${formatDuration(d.jitterMs)}` : '', d.timezone ? `time zone ${d.timezone}` : '']
    .filter(Boolean)
    .map((text) => ` · ${text}`)
    .join('');
  lines.push(`  when: ${d.when}${extras}`);
  lines.push(
    `  policies: overlap ${d.overlap.toLowerCase().replace(/_/g, ' ')} · catch-up window ${formatDuration(d.catchupWindowMs)}` +
      ` · ${d.pauseOnFailure ? 'pauses after a failed update' : 'keeps running after a failed update'}`,
  );
  if (d.snapshot?.update) lines.push(`  windows: ${windowsText(d.snapshot.update)}`);
  lines.push(`  next: ${d.paused ? '— (paused)' : d.nextRuns.slice(0, 3).map(time).join(', ') || '—'}`);
  lines.push(
    `  taken: ${d.actionsTaken} · skipped while an update ran: ${d.skippedOverlap} · missed (catch-up window): ${d.missedCatchupWindow}`,
  );
  for (const action of d.recent.slice(-5))
    lines.push(
      `  ${time(action.takenAt)}  ${action.workflowId}${d.running.includes(action.workflowId) ? '  running' : ''}`,
    );
  return lines;
}

/** `sat,sun 23:00 UTC for 3h; 02:00 UTC for 30m · outside them: wait`. */
export function windowsText(settings: UpdateWindowSettings): string {
  const windows = settings.windows.map((w) => {
    const days = w.days.length === 7 ? '' : `${w.days.map((day) => Weekdays[day]).join(',')} `;
    const start = `${String(Math.floor(w.startMinute / 60)).padStart(2, '0')}:${String(w.startMinute % 60).padStart(2, '0')}`;
    return `${days}${start} UTC for ${formatDuration(w.durationMs)}`;
  });
  return `${windows.join('; ') || 'none'} · outside them: ${settings.outsideWindow}`;
}

/** Warnings for scheduled runs that fall outside the plan's windows: those updates will wait or be skipped. */
export function runsOutsideWindows(settings: UpdateWindowSettings | undefined, runs: Date[]): string[] {
  if (!settings || settings.windows.length === 0) return [];
  return runs
    .filter((run) => !windowDecision(settings.windows, run.getTime()).open)
    .slice(0, 3)
    .map((run) => {
      const then = settings.outsideWindow === 'skip' ? 'will be skipped' : 'will wait for the next window';
      return `warning: the run at ${run.toISOString()} is outside the plan's update windows (${windowsText(settings)}): that update ${then}`;
    });
}
