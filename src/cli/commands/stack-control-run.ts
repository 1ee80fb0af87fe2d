import { stackHealth } from '../../supervision/stack-health';
import type { CliIo } from '../cli-io';
import { withCommandConnection } from '../connect-for-command';
import { liveSupervision, planNameOf } from '../live-supervision';
import { describeSupervised } from '../supervision-view';
import { counted } from '../../counted';

/** `bootwave restart|start <plan> <service>`: an operator's restart, or an on-demand start; returns the exit code. */
export async function act(action: 'restart' | 'start', target: string, service: string, io: CliIo): Promise<number> {
  const plan = planNameOf(target, io);
  if (!plan) return 1;
  return withCommandConnection(io, {}, async ({ client }) => {
    const stack = client.stack(plan);
    const state = action === 'restart' ? await stack.restart(service) : await stack.start(service);
    io.out(`${service}: ${describeSupervised(state, Date.now())}`);
    return state.phase === 'healthy' || state.phase === 'degraded' ? 0 : 1;
  });
}

/** `bootwave health <plan> [--json]`: the stack's Cascade health document; exit code 1 when unhealthy. */
export async function health(target: string, flags: { json?: boolean }, io: CliIo): Promise<number> {
  const plan = planNameOf(target, io);
  if (!plan) return 1;
  return withCommandConnection(io, {}, async ({ client }) => {
    const status = await liveSupervision(client, plan);
    if (!status) return io.fail(`plan ${plan} is not supervised on this server`);
    const now = Date.now();
    const doc = stackHealth(
      {
        plan,
        supervisingSinceMs: status.supervisingSinceMs ?? now,
        services: status.services,
        breakers: status.breakers,
      },
      now,
    );
    if (flags.json) io.out(JSON.stringify(doc, null, 2));
    else {
      io.out(`${plan}: ${doc.status}`);
      const services = Object.entries(doc.checks.services);
      const width = Math.max(0, ...services.map(([name]) => name.length));
      for (const [name, s] of services) {
        const latency = s.latency_ms === undefined ? '' : `  ${s.latency_ms} ms`;
        const restarts = counted(s.restarts, 'restart');
        io.out(`  ${name.padEnd(width)}  ${s.status.padEnd(9)}  up ${s.uptime_seconds}s  ${restarts}${latency}`);
      }
      for (const [edge, d] of Object.entries(doc.checks.dependencies)) io.out(`  ${edge}  breaker ${d.breaker}`);
    }
    return doc.status === 'unhealthy' ? 1 : 0;
  });
}
