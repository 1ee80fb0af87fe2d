import { shown, stringList, type Report } from './compose-values';
import { readCommandLine } from './split-command';

/** `command`/`entrypoint`: a string split as Compose splits it, or a list of strings; null is none. */
export function argv(value: unknown, path: string, error: Report, warn: Report): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    if (!Array.isArray(value))
      return void error(path, `must be a command string or a list of strings, got ${shown(value)}`);
    return stringList(value, path, error);
  }
  const read = readCommandLine(value);
  if (!read.ok) return void error(path, `${read.message} in ${shown(value)}`);
  if (read.dropped !== undefined)
    warn(
      path,
      `${shown(read.dropped)} is not run, as in Compose: a command string is split into words, not run by a shell (write [sh, -c, "..."] for one)`,
    );
  return read.words;
}
