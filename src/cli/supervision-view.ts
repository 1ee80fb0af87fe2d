import type { StackStatus, SupervisedService } from '../contract/supervision';
import { formatDuration } from '../plan/duration';
import { stackHealth } from '../supervision/stack-health';
import { counted } from '../counted';

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/**
 * A supervised service's live state in words: healthy, unhealthy since T, restarting (n), failed: crash loop (…),
 * blocked by X, stopped.
 */
export function describeSupervised(service: SupervisedService, nowMs: number): string {
  const blocked = service.blockedBy.length > 0 ? `blocked by ${service.blockedBy.join(', ')}` : undefined;
  const why = service.message ? `: ${service.message}` : '';
  switch (service.phase) {
    case 'healthy':
    case 'degraded':
    case 'completed':
      return blocked ? `${service.phase}, ${blocked}` : service.phase;
    case 'unhealthy':
    case 'down':
      return `${service.phase} since ${clock(service.sinceMs)}${blocked ? `, ${blocked}` : ''}${why}`;
    case 'restarting': {
      const waiting = service.restartAtMs !== undefined && service.restartAtMs > nowMs;
      const n = waiting ? service.restarts + 1 : service.restarts;
      const due = waiting ? ` in ${formatDuration(service.restartAtMs! - nowMs)}` : '';
      return `restarting (${n})${due}${blocked ? `, ${blocked}` : ''}${why}`;
    }
    case 'crash-loop':
    case 'failed':
      return `failed${why}`;
    case 'stopped':
      return blocked ? `stopped, ${blocked}` : `stopped${why}`;
    case 'on-demand':
      return 'on demand (not started)';
    case 'idle-stopped':
      return `idle-stopped${why}`;
  }
}

/** The supervision part of `bootwave status`: one line per service, then the breakers that are not closed. */
export function renderSupervision(status: StackStatus, nowMs: number): string {
  const health = stackHealth(
    {
      plan: status.plan,
      supervisingSinceMs: status.supervisingSinceMs ?? nowMs,
      services: status.services,
      breakers: status.breakers,
    },
    nowMs,
  );
  const since = status.supervisingSinceMs ? ` since ${clock(status.supervisingSinceMs)}` : '';
  const lines = [
    status.phase === 'ended'
      ? `supervision ended${status.endReason ? `: ${status.endReason}` : ''}`
      : `supervised${since} · ${status.workflowId}${status.runs > 0 ? ` (run ${status.runs + 1})` : ''} · stack ${health.status}`,
  ];
  if (status.phase === 'ended') return lines.join('\n');
  const width = Math.max(0, ...status.services.map((s) => s.name.length));
  for (const service of status.services) {
    const h = health.checks.services[service.name]!;
    const detail = [
      service.restarts > 0 ? counted(service.restarts, 'restart') : '',
      h.uptime_seconds > 0 ? `up ${formatDuration(h.uptime_seconds * 1000)}` : '',
      service.latencyMs !== undefined ? `${service.latencyMs} ms` : '',
    ].filter(Boolean);
    lines.push(
      `  ${service.name.padEnd(width)}  ${describeSupervised(service, nowMs)}${detail.length ? `  (${detail.join(', ')})` : ''}`,
    );
  }
  for (const [edge, breaker] of Object.entries(status.breakers))
    if (breaker.state !== 'closed')
      lines.push(`  breaker ${edge} ${breaker.state} (${breaker.failuresMs.length} failures)`);
  return lines.join('\n');
}
