import type { CliIo } from './cli-io';

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

/**
 * The plan file of `up`, `graph` or `down` and its profiles (see `planAndProfiles`); undefined, with exit code 2 set,
 * when no file was given.
 */
export function planArgument<Flags extends { profile?: string[] }>(
  command: string,
  given: string | undefined,
  flags: Flags,
  io: CliIo,
): { file: string; flags: Flags } | undefined {
  const { file, profiles } = planAndProfiles(given, flags.profile);
  if (file !== undefined) return { file, flags: { ...flags, profile: profiles } };
  io.err(`bootwave: ${command} needs a plan or Compose file`);
  process.exitCode = 2;
  return undefined;
}
