import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { composeFileOption, planArgument } from '../plan-and-profiles';
import type { UpFlags } from './up-run';

export function registerUp(program: Command, io: CliIo): void {
  composeFileOption(program.command('up [plan]'))
    .description('boot a plan: waves in dependency order, each service gated on its health')
    .option('--strategy <strategy>', 'waves (a barrier between waves) or dag (start as soon as dependencies are met)')
    .option('--on-failure <policy>', 'rollback, halt or continue')
    .option('--max-parallel <n>', 'most services starting at once per wave')
    .option('--rollback-timeout <duration>', 'time budget of a rollback, e.g. 5m')
    .option('--profile <name...>', 'boot the services of these profiles too')
    .option('--id <workflowId>', 'workflow ID of this boot (default bootwave-<plan>)')
    .option('--detach', 'start the boot and return; it runs on the server and its workers')
    .option('--no-worker', 'do not run a worker in this process (workers run elsewhere)')
    .option('--no-supervise', 'boot only: no supervision (restarts, live health) after the boot')
    .option('--build', 'build the images the plan builds (docker.build, Compose build) before booting, on this machine')
    .action(async (given: string | undefined, flags: UpFlags) => {
      // `--profile web plan.yaml`: the variadic option takes the file too; a trailing file name is the plan.
      const argument = planArgument('up', given, flags, io);
      if (!argument) return;
      const { up } = await import('./up-run.js');
      process.exitCode = await up(argument.source, argument.flags, io);
    });
}
