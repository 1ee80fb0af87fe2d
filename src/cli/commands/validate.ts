import type { Command } from 'commander';
import { defaultBootOptions, type BootInput } from '../../plan/boot-input';
import type { CliIo } from '../cli-io';
import { composeFilesFromEnv, importCompose } from '../../compose/import-compose';
import { formatIssue } from '../../plan/plan-issue';
import { checkTargetsForCli, loadBootForCli, type LoadedBoot } from '../load-plan-for-cli';

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

/** Several Compose files merged (`-f a.yml -f b.yml`, `COMPOSE_FILE`), printed as `loadBootForCli` prints one. */
function loadComposeForCli(files: string[], profiles: string[] | undefined, io: CliIo): LoadedBoot | undefined {
  const result = importCompose(files, profiles ? { profiles } : {});
  for (const warning of result.warnings) io.err(`warning: ${formatIssue(warning)}`);
  if (result.ok) return { plan: result.plan, bootOptions: result.bootOptions };
  for (const issue of result.errors) io.err(formatIssue(issue));
  const count = result.errors.length;
  io.err(`bootwave: ${count} problem${count === 1 ? '' : 's'} in ${files.join(', ')}; nothing was started`);
  return undefined;
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
    .option(
      '-f, --file <compose-file>',
      'a Compose file; repeat to merge overrides, as docker compose -f a.yml -f b.yml (default: COMPOSE_FILE)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--json', 'print the boot input (resolved plan and default options) as JSON, for `temporal workflow start`')
    .action(async (given: string | undefined, flags: { profile?: string[]; json?: boolean; file?: string[] }) => {
      const { file: named, profiles } = planAndProfiles(given, flags.profile);
      if (named !== undefined && flags.file) {
        io.err('bootwave: give either a plan file or -f Compose files, not both');
        return void (process.exitCode = 2);
      }
      const composeFiles = flags.file ?? (named === undefined ? composeFilesFromEnv(process.env) : []);
      const file = named ?? composeFiles.join(', ');
      if (file === '') {
        io.err('bootwave: validate needs a plan or Compose file (e.g. bootwave validate --profile web compose.yaml)');
        return void (process.exitCode = 2);
      }
      const loaded =
        composeFiles.length > 0 ? loadComposeForCli(composeFiles, profiles, io) : loadBootForCli(file, profiles, io);
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
