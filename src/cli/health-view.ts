import { counted } from '../counted';
import { formatDuration } from '../plan/duration';
import type { ServiceHealth, StackHealthDocument } from '../supervision/stack-health';

/**
 * `bootwave health` as text: the stack's status, then a line per service and per dependency edge. A service that
 * is up shows its uptime and latency (none before one was measured); a one-shot that ran shows that it completed;
 * any other service shows the phase it is in (crash-loop, on-demand …) and why.
 */
export function healthLines(plan: string, doc: StackHealthDocument): string[] {
  const services = Object.entries(doc.checks.services);
  const width = Math.max(0, ...services.map(([name]) => name.length));
  return [
    `${plan}: ${doc.status}`,
    ...services.map(([name, s]) => `  ${name.padEnd(width)}  ${serviceText(s)}`.trimEnd()),
    ...Object.entries(doc.checks.dependencies).map(([edge, d]) => `  ${edge}  breaker ${d.breaker}`),
  ];
}

function serviceText(s: ServiceHealth): string {
  if (s.phase === 'completed') return 'completed';
  const up = s.phase === 'healthy' || s.phase === 'degraded';
  const parts = [
    s.status.padEnd(9),
    up ? `up ${formatDuration(s.uptime_seconds * 1000)}` : s.phase,
    counted(s.restarts, 'restart'),
    ...(up && s.latency_ms !== null ? [`${s.latency_ms} ms`] : []),
    ...(s.blocked_by ? [`blocked by ${s.blocked_by.join(', ')}`] : []),
    ...(s.message ? [s.message] : []),
  ];
  return parts.join('  ');
}
