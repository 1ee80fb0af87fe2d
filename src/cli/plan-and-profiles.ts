import type { Command } from 'commander';
import { composeFilesFromEnv, defaultComposeFiles } from '../compose/compose-file-env';
import type { CliIo } from './cli-io';

/**
 * What a command loads: one plan or Compose file, or Compose files merged in order, as `docker compose -f a.yml
 * -f b.yml` merges them (`-f`, else `COMPOSE_FILE` when no file is named).
 */
export type PlanSource = { file: string } | { composeFiles: string[] };

/** How messages name a source: the file, or the Compose files in order. */
export function sourceName(source: PlanSource): string {
  return 'file' in source ? source.file : source.composeFiles.join(', ');
}

/** The source as a command line names it: `plan.yaml`, or `-f a.yml -f b.yml`. */
export function sourceArguments(source: PlanSource): string {
  return 'file' in source ? source.file : source.composeFiles.map((file) => `-f ${file}`).join(' ');
}

/** What `bootwave status` takes for a plan loaded from `source`: its file, or the plan's name for merged files. */
export function statusTarget(source: PlanSource, planName: string): string {
  return 'file' in source ? source.file : planName;
}

/** The `-f` option of every command that loads a plan. */
export function composeFileOption(command: Command): Command {
  return command.option(
    '-f, --file <compose-file>',
    'a Compose file; repeat to merge overrides, as docker compose -f a.yml -f b.yml (default: COMPOSE_FILE, else compose.yaml and its override here or above)',
    (value: string, previous: string[] = []) => [...previous, value],
  );
}

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
 * The plan source of a command and its profiles (see `planAndProfiles`): the named file, else the `-f` files, else
 * `COMPOSE_FILE`, else the Compose file (and override) of this folder or the nearest one above, as Compose finds
 * it. Undefined, with exit code 2 set, when there is none or both a file and `-f` were given.
 */
export function planArgument<Flags extends { profile?: string[]; file?: string[] }>(
  command: string,
  given: string | undefined,
  flags: Flags,
  io: CliIo,
): { source: PlanSource; flags: Flags } | undefined {
  const { file, profiles } = planAndProfiles(given, flags.profile);
  const resolved = { ...flags, profile: profiles };
  if (file !== undefined && flags.file) {
    io.err('bootwave: give either a plan file or -f Compose files, not both');
  } else {
    if (file !== undefined) return { source: { file }, flags: resolved };
    // As `docker compose` with no file: COMPOSE_FILE, else compose.yaml (and its override) here or above.
    const fromEnv = composeFilesFromEnv(process.env);
    const composeFiles = flags.file ?? (fromEnv.length > 0 ? fromEnv : defaultComposeFiles(process.cwd()));
    if (composeFiles.length > 0) return { source: { composeFiles }, flags: resolved };
    io.err(
      `bootwave: ${command} needs a plan or Compose file (e.g. bootwave ${command} plan.yaml, or -f compose.yaml); no compose.yaml was found here or above`,
    );
  }
  process.exitCode = 2;
  return undefined;
}
