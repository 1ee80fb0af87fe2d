import { counted } from '../counted';
import type { StackHealthDocument } from '../supervision/stack-health';

/** `bootwave health` as text: the stack's status, then a line per service (no latency before one was measured). */
export function healthLines(plan: string, doc: StackHealthDocument): string[] {
  const services = Object.entries(doc.checks.services);
  const width = Math.max(0, ...services.map(([name]) => name.length));
  return [
    `${plan}: ${doc.status}`,
    ...services.map(([name, s]) => {
      const latency = s.latency_ms === null ? '' : `  ${s.latency_ms} ms`;
      return `  ${name.padEnd(width)}  ${s.status.padEnd(9)}  up ${s.uptime_seconds}s  ${counted(s.restarts, 'restart')}${latency}`;
    }),
    ...Object.entries(doc.checks.dependencies).map(([edge, d]) => `  ${edge}  breaker ${d.breaker}`),
  ];
}
