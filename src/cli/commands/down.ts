import type { Command } from 'commander';
import type { CliIo } from '../cli-io';

/** `down <plan>`: stop every service of the plan in reverse dependency order, as a durable workflow. */
export function registerDown(program: Command, io: CliIo): void {
  program
    .command('down <plan>')
    .description('stop every service of a plan, in reverse dependency order')
    .option('--profile <name...>', 'include the services of these profiles')
    .option('--no-worker', 'do not run a worker in this process (workers run elsewhere)')
    .action(async (file: string, flags: { profile?: string[]; worker: boolean }) => {
      const { down } = await import('./down-run.js');
      process.exitCode = await down(file, flags, io);
    });
}
