import type { Command } from 'commander';
import type { CliIo } from '../cli-io';

/** `restart`, `start` (on demand) and `health` of a supervised stack; each loads its implementation when run. */
export function registerStackControl(program: Command, io: CliIo): void {
  program
    .command('restart <plan> <service>')
    .description('restart one service of a supervised stack now (clears a crash loop) and wait until it is up')
    .action(async (target: string, service: string) => {
      const { act } = await import('./stack-control-run.js');
      process.exitCode = await act('restart', target, service, io);
    });
  program
    .command('start <plan> <service>')
    .description('start an on-demand (lazy) service of a supervised stack, with its dependencies')
    .action(async (target: string, service: string) => {
      const { act } = await import('./stack-control-run.js');
      process.exitCode = await act('start', target, service, io);
    });
  program
    .command('health <plan>')
    .description("the stack's health: each service's status, latency, uptime, restarts, and the breakers")
    .option('--json', 'the Cascade standard health document, aggregated for the stack')
    .action(async (target: string, flags: { json?: boolean }) => {
      const { health } = await import('./stack-control-run.js');
      process.exitCode = await health(target, flags, io);
    });
}
