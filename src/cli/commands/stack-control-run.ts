import { stackHealth } from '../../supervision/stack-health';
import type { CliIo } from '../cli-io';
import { withBootApi, withCommandConnection } from '../connect-for-command';
import { planNameOf } from '../plan-name';
import { healthLines } from '../health-view';
import { describeSupervised } from '../supervision-view';

/** `bootwave restart|start <plan> <service>`: an operator's restart, or an on-demand start; returns the exit code. */
export async function act(action: 'restart' | 'start', target: string, service: string, io: CliIo): Promise<number> {
  const plan = await planNameOf(target, io);
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
  const plan = await planNameOf(target, io);
  if (!plan) return 1;
  return withBootApi(io, {}, async ({ api }) => {
    const status = await api.stackStatus(plan);
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
    else for (const line of healthLines(plan, doc)) io.out(line);
    return doc.status === 'unhealthy' ? 1 : 0;
  });
}
