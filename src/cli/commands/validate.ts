import type { Command } from 'commander';
import { defaultBootOptions, type BootInput } from '../../plan/boot-input';
import type { CliIo } from '../cli-io';
import { loadPlanForCli } from '../load-plan-for-cli';

/** `validate <plan>`: every problem at once (file, path, message), exit code 1 when there is any. */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate <plan>')
    .description('check a plan file: schema, references, cycles, waves and memory budgets')
    .option('--profile <name...>', 'select services of these profiles')
    .option('--json', 'print the boot input (resolved plan and default options) as JSON, for `temporal workflow start`')
    .action((file: string, flags: { profile?: string[]; json?: boolean }) => {
      const plan = loadPlanForCli(file, flags.profile, io);
      if (!plan) return void (process.exitCode = 1);
      if (flags.json) {
        const input: BootInput = { plan, options: defaultBootOptions };
        io.out(JSON.stringify(input, null, 2));
        return void (process.exitCode = 0);
      }
      io.out(`${file}: plan ${plan.name} is valid: ${plan.services.length} services in ${plan.waves.length} waves`);
      process.exitCode = 0;
    });
}
