import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A list in an environment variable: items split on `separator`, trimmed, empty ones dropped. */
export function splitList(text: string | undefined, separator = ','): string[] {
  return (text ?? '')
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * `COMPOSE_FILE` as Compose reads it: paths separated by `COMPOSE_PATH_SEPARATOR` (default ":"). Apart from the
 * importer, so that commands can read it without loading the importer.
 */
export function composeFilesFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return splitList(env.COMPOSE_FILE, env.COMPOSE_PATH_SEPARATOR ?? ':');
}

/** The names Compose looks for when it is given no file, in its order, and the override beside the one found. */
const defaultNames = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const overrideNames = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

/**
 * The Compose files `docker compose` reads when it is given none: the first of `compose.yaml`, `compose.yml`,
 * `docker-compose.yml`, `docker-compose.yaml` in `dir` or the nearest folder above it, then the override file
 * beside it when there is one. Paths in `dir` stay as bare names (messages name them so); empty when none is found.
 */
export function defaultComposeFiles(dir: string): string[] {
  for (let folder = resolve(dir); ; folder = dirname(folder)) {
    const main = defaultNames.find((name) => existsSync(join(folder, name)));
    if (main !== undefined) {
      const override = overrideNames.find((name) => existsSync(join(folder, name)));
      const named = (name: string) => (folder === resolve(dir) ? name : join(folder, name));
      return override === undefined ? [named(main)] : [named(main), named(override)];
    }
    if (dirname(folder) === folder) return [];
  }
}
