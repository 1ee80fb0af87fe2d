import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { composeFileOption, planArgument } from '../plan-and-profiles';
import type { UpdateFlags } from './update-run';

/** `update <plan>`: roll the plan's changes out on its supervised stack, batch by batch, gated on health. */
export function registerUpdate(program: Command, io: CliIo): void {
  composeFileOption(program.command('update [plan]'))
    .description(
      'roll a changed plan out on its running stack: batches in dependency order, health-gated, rolled back on failure',
    )
    .option('--dry-run', 'print the diff against the running plan and the batches; change nothing')
    .option('--batch-size <n>', 'services per batch: a count (2) or a percent of a wave’s changed services (25%)')
    .option('--observe <duration>', 'health window after each new version is ready, e.g. 60s')
    .option('--pause <duration>', 'wait between batches, e.g. 10s')
    .option('--failure-threshold <percent>', 'roll the whole update back when more of a batch fails, e.g. 25%')
    .option('--order <order>', 'auto, start-first or stop-first')
    .option(
      '--build',
      'build the images the plan builds (docker.build, Compose build) first, on this machine; a rebuilt image is a change',
    )
    .option('--profile <name...>', 'include the services of these profiles')
    .option('--id <workflowId>', 'workflow ID of this update (default bootwave-update-<plan>)')
    .option('--detach', 'start the update and return; it runs on the server and its workers')
    .option('--no-worker', 'do not run a worker in this process (workers run elsewhere)')
    .action(async (given: string | undefined, flags: UpdateFlags) => {
      const argument = planArgument('update', given, flags, io);
      if (!argument) return;
      const { update } = await import('./update-run.js');
      process.exitCode = await update(argument.source, argument.flags, io);
    });
}
