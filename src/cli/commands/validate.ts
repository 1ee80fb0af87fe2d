import type { Command } from 'commander';
import { defaultBootOptions, type BootInput } from '../../plan/boot-input';
import type { CliIo } from '../cli-io';
import { checkTargetsForCli, loadBootForCli } from '../load-plan-for-cli';

/** `validate <plan>`: every problem at once (file, path, message), exit code 1 when there is any. */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate <plan>')
    .description('check a plan file: schema, references, cycles, waves, memory budgets and Kubernetes manifests')
    .option('--profile <name...>', 'select services of these profiles')
    .option('--json', 'print the boot input (resolved plan and default options) as JSON, for `temporal workflow start`')
    .action(async (file: string, flags: { profile?: string[]; json?: boolean }) => {
      const loaded = loadBootForCli(file, flags.profile, io);
      if (!loaded) return void (process.exitCode = 1);
      const { plan } = loaded;
      // Offline: the manifests' files and documents; their kinds and namespaces are checked by `up`.
      if (!(await checkTargetsForCli(plan, file, io, { cluster: false }))) return void (process.exitCode = 1);
      if (flags.json) {
        const input: BootInput = { plan, options: { ...defaultBootOptions, ...loaded.bootOptions } };
        io.out(JSON.stringify(input, null, 2));
        return void (process.exitCode = 0);
      }
      io.out(`${file}: plan ${plan.name} is valid: ${plan.services.length} services in ${plan.waves.length} waves`);
      process.exitCode = 0;
    });
}
