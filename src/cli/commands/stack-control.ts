import type { Command } from 'commander';
import { stackHealth } from '../../supervision/stack-health';
import type { CliIo } from '../cli-io';
import { liveSupervision, planNameOf } from '../live-supervision';
import { describeSupervised } from '../supervision-view';
import { withClient } from './boot-control';

/** `restart`, `start` (on demand) and `health`: act on and read a supervised stack. */
export function registerStackControl(program: Command, io: CliIo): void {
  program
    .command('restart <plan> <service>')
    .description('restart one service of a supervised stack now (clears a crash loop) and wait until it is up')
    .action(async (target: string, service: string) =>
      withClient(io, async (client) => {
        const plan = planNameOf(target, io);
        if (!plan) return void (process.exitCode = 1);
        const state = await client.stack(plan).restart(service);
        io.out(`${service}: ${describeSupervised(state, Date.now())}`);
        process.exitCode = state.phase === 'healthy' || state.phase === 'degraded' ? 0 : 1;
      }),
    );
  program
    .command('start <plan> <service>')
    .description('start an on-demand (lazy) service of a supervised stack, with its dependencies')
    .action(async (target: string, service: string) =>
      withClient(io, async (client) => {
        const plan = planNameOf(target, io);
        if (!plan) return void (process.exitCode = 1);
        const state = await client.stack(plan).start(service);
        io.out(`${service}: ${describeSupervised(state, Date.now())}`);
        process.exitCode = state.phase === 'healthy' || state.phase === 'degraded' ? 0 : 1;
      }),
    );
  program
    .command('health <plan>')
    .description("the stack's health: each service's status, latency, uptime, restarts, and the breakers")
    .option('--json', 'the Cascade standard health document, aggregated for the stack')
    .action(async (target: string, flags: { json?: boolean }) =>
      withClient(io, async (client) => {
        const plan = planNameOf(target, io);
        if (!plan) return void (process.exitCode = 1);
        const status = await liveSupervision(client, plan);
        if (!status) return void (process.exitCode = io.fail(`plan ${plan} is not supervised on this server`));
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
          for (const [name, s] of Object.entries(doc.checks.services))
            io.out(
              `  ${name}  ${s.status}  ${s.latency_ms ?? '-'} ms  up ${s.uptime_seconds}s  ${s.restarts} restarts`,
            );
          for (const [edge, d] of Object.entries(doc.checks.dependencies)) io.out(`  ${edge}  breaker ${d.breaker}`);
        }
        process.exitCode = doc.status === 'unhealthy' ? 1 : 0;
      }),
    );
}
