import type { Command } from 'commander';
import { defaultBootOptions, type BootInput } from '../../plan/boot-input';
import type { CliIo } from '../cli-io';
import { checkTargetsForCli, loadBootForCli } from '../load-plan-for-cli';

/**
 * `--profile` takes several names (`--profile core dev`), so `--profile web compose.yaml` hands it the file too:
 * a trailing value that names a plan or Compose file is the file. Names may also be comma-separated.
 */
export function planAndProfiles(
  given: string | undefined,
  flagged: string[] | undefined,
): { file: string | undefined; profiles: string[] | undefined } {
  const values = [...(flagged ?? [])];
  let file = given;
  if (file === undefined && values.length > 0 && looksLikeFile(values[values.length - 1]!)) file = values.pop();
  const profiles = values.flatMap((value) => value.split(',').map((name) => name.trim())).filter(Boolean);
  return { file, profiles: flagged === undefined ? undefined : profiles };
}

function looksLikeFile(value: string): boolean {
  return /\.(ya?ml|json)$/i.test(value) || value.includes('/');
}

/** `validate <plan>`: every problem at once (file, path, message), exit code 1 when there is any. */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate [plan]')
    .description('check a plan file: schema, references, cycles, waves, memory budgets and Kubernetes manifests')
    .option('--profile <name...>', 'select services of these profiles (repeatable, or comma-separated)')
    .option('--json', 'print the boot input (resolved plan and default options) as JSON, for `temporal workflow start`')
    .action(async (given: string | undefined, flags: { profile?: string[]; json?: boolean }) => {
      const { file, profiles } = planAndProfiles(given, flags.profile);
      if (file === undefined) {
        io.err('bootwave: validate needs a plan or Compose file (e.g. bootwave validate --profile web compose.yaml)');
        return void (process.exitCode = 2);
      }
      const loaded = loadBootForCli(file, profiles, io);
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
