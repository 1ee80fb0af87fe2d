import { composeFilesFromEnv, importCompose } from '../../compose/import-compose';
import { defaultBootOptions, type BootInput } from '../../plan/boot-input';
import { formatIssue } from '../../plan/plan-issue';
import type { CliIo } from '../cli-io';
import { checkTargetsForCli, loadBootForCli, type LoadedBoot } from '../load-plan-for-cli';
import { planAndProfiles } from '../plan-and-profiles';
import { counted } from '../../counted';

/** `bootwave validate`: offline, never loads the Temporal SDK. Returns the exit code. */
export async function validate(
  given: string | undefined,
  flags: { profile?: string[]; json?: boolean; file?: string[] },
  io: CliIo,
): Promise<number> {
  const { file: named, profiles } = planAndProfiles(given, flags.profile);
  if (named !== undefined && flags.file) {
    io.err('bootwave: give either a plan file or -f Compose files, not both');
    return 2;
  }
  const composeFiles = flags.file ?? (named === undefined ? composeFilesFromEnv(process.env) : []);
  const file = named ?? composeFiles.join(', ');
  if (file === '') {
    io.err('bootwave: validate needs a plan or Compose file (e.g. bootwave validate --profile web compose.yaml)');
    return 2;
  }
  const loaded =
    composeFiles.length > 0 ? loadComposeForCli(composeFiles, profiles, io) : loadBootForCli(file, profiles, io);
  if (!loaded) return 1;
  const { plan } = loaded;
  // Offline: the manifests' files and documents; their kinds and namespaces are checked by `up`.
  if (!(await checkTargetsForCli(plan, file, io, { cluster: false }))) return 1;
  if (flags.json) {
    const input: BootInput = { plan, options: { ...defaultBootOptions, ...loaded.bootOptions } };
    io.out(JSON.stringify(input, null, 2));
    return 0;
  }
  io.out(
    `${file}: plan ${plan.name} is valid: ${counted(plan.services.length, 'service')} in ${counted(plan.waves.length, 'wave')}`,
  );
  return 0;
}

/** Several Compose files merged (`-f a.yml -f b.yml`, `COMPOSE_FILE`), printed as `loadBootForCli` prints one. */
function loadComposeForCli(files: string[], profiles: string[] | undefined, io: CliIo): LoadedBoot | undefined {
  const result = importCompose(files, profiles ? { profiles } : {});
  for (const warning of result.warnings) io.err(`warning: ${formatIssue(warning)}`);
  if (result.ok) return { plan: result.plan, bootOptions: result.bootOptions };
  for (const issue of result.errors) io.err(formatIssue(issue));
  const count = result.errors.length;
  io.err(`bootwave: ${counted(count, 'problem')} in ${files.join(', ')}; nothing was started`);
  return undefined;
}
