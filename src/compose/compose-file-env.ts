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
