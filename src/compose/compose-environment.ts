import type { ComposeContext } from './compose-context';
import { asBool, isMap, notBoolean, scalarOf, shown, type Report } from './compose-values';

function splitPair(text: string): [string, string] {
  const at = text.indexOf('=');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** One `env_file` of a service: its path, whether it must exist, and whether its values are taken verbatim. */
export interface EnvFile {
  path: string;
  required: boolean;
  /** `format: raw`: `KEY=value` lines as they are, no quotes or `${VAR}` handled. */
  raw: boolean;
}

const envFileKeys = ['path', 'required', 'format'];

/**
 * A service's `env_file`: a path, a mapping with `path`, `required` and `format`, or a list of them; the files in
 * order.
 */
export function envFiles(value: unknown, path: string, error: Report): EnvFile[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: EnvFile[] = [];
  list.forEach((item, index) => {
    const at = Array.isArray(value) ? `${path}[${index}]` : path;
    if (typeof item === 'string') return void out.push({ path: item, required: true, raw: false });
    if (!isMap(item)) return error(at, `must be a file path or a mapping with path, got ${shown(item)}`);
    for (const key of Object.keys(item))
      if (!envFileKeys.includes(key) && !key.startsWith('x-'))
        error(`${at}.${key}`, `unknown key (expected ${envFileKeys.join(', ')})`);
    if (typeof item.path !== 'string') return error(`${at}.path`, `must be a string, got ${shown(item.path)}`);
    const required = item.required === undefined ? true : asBool(item.required);
    if (required === undefined) return error(`${at}.required`, notBoolean(item.required));
    if (item.format !== undefined && item.format !== 'raw')
      return error(`${at}.format`, `must be raw (or left out), got ${shown(item.format)}`);
    out.push({ path: item.path, required, raw: item.format === 'raw' });
  });
  return out;
}

/**
 * List (`KEY=value`, bare `KEY` from the environment) or map (scalar values; `null` from the environment); unset
 * bare keys are left out. Values of another type are errors, as in Compose.
 */
export function environment(
  value: unknown,
  path: string,
  env: ComposeContext['env'],
  error: Report,
): Record<string, string> {
  const out: Record<string, string> = {};
  const fromEnv = (key: string) => {
    const found = env[key];
    if (found !== undefined) out[key] = found;
  };
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item !== 'string')
        return error(`${path}[${index}]`, `must be a string (KEY=value or KEY), got ${shown(item)}`);
      if (item.includes('=')) {
        const [key, val] = splitPair(item);
        out[key] = val;
      } else fromEnv(item);
    });
  } else if (isMap(value)) {
    for (const [key, val] of Object.entries(value)) {
      const text = scalarOf(val, `${path}.${key}`, error);
      if (text === null) fromEnv(key);
      else if (text !== undefined) out[key] = text;
    }
  } else error(path, `must be a mapping or a list of KEY=value strings, got ${shown(value)}`);
  return out;
}
