import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { composeFileOption, planArgument } from '../plan-and-profiles';

/** `down <plan>`: stop every service of the plan in reverse dependency order, as a durable workflow. */
export function registerDown(program: Command, io: CliIo): void {
  composeFileOption(
    program
      .command('down [plan]')
      .description('stop every service of a plan, in reverse dependency order')
      .option('--profile <name...>', 'include the services of these profiles')
      .option('--no-worker', 'do not run a worker in this process (workers run elsewhere)'),
  ).action(async (given: string | undefined, flags: { profile?: string[]; worker: boolean; file?: string[] }) => {
    // `--profile web plan.yaml`: the variadic option takes the file too; a trailing file name is the plan.
    const argument = planArgument('down', given, flags, io);
    if (!argument) return;
    const { down } = await import('./down-run.js');
    process.exitCode = await down(argument.source, argument.flags, io);
  });
}
