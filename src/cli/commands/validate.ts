import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { composeFileOption } from '../plan-and-profiles';

/** `validate <plan>`: every problem at once (file, path, message), exit code 1 when there is any. */
export function registerValidate(program: Command, io: CliIo): void {
  composeFileOption(
    program
      .command('validate [plan]')
      .description('check a plan file: schema, references, cycles, waves, memory budgets and Kubernetes manifests')
      .option('--profile <name...>', 'select services of these profiles (repeatable, or comma-separated)'),
  )
    .option('--json', 'print the boot input (resolved plan and default options) as JSON, for `temporal workflow start`')
    .action(async (given: string | undefined, flags: { profile?: string[]; json?: boolean; file?: string[] }) => {
      // Loaded when run: `bootwave --help` and the other commands do not pay for the plan loader.
      const { validate } = await import('./validate-run.js');
      process.exitCode = await validate(given, flags, io);
    });
}
