/** A mapping of the Compose document. */
export type Doc = Record<string, unknown>;

/** Records a problem (an error or a warning) at a path in the Compose file. */
export type Report = (path: string, message: string) => void;

/** A YAML mapping: not null, not a list. */
export const isMap = (value: unknown): value is Doc =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A count of 1, as a number or a string (after interpolation). */
export const isOne = (value: unknown): boolean => value === 1 || value === '1';

/**
 * A Compose boolean: `true`/`false`, or one of the words Compose casts a string to after interpolation (YAML 1.1's
 * y/yes/true/on and n/no/false/off, in any case), so `read_only: ${RO:-yes}` works. Numbers and other words are not
 * booleans (Compose refuses `1` and "t"); undefined when not one.
 */
export function asBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const word = value.toLowerCase();
  if (['y', 'yes', 'true', 'on'].includes(word)) return true;
  if (['n', 'no', 'false', 'off'].includes(word)) return false;
  return undefined;
}

/** The message for a value that is not a Compose boolean. */
export const notBoolean = (value: unknown): string => `must be true or false, got ${shown(value)}`;

/**
 * Whether a top-level volume or network declaration is `external` (a boolean, or the legacy `external: { name }`),
 * and the name it has on the engine then; undefined when `external` is no boolean.
 */
export function externalOf(declaration: unknown, key: string): { external: boolean; name: string } | undefined {
  const def = isMap(declaration) ? declaration : {};
  const legacyName = isMap(def.external) && typeof def.external.name === 'string' ? def.external.name : undefined;
  const external = def.external === undefined ? false : isMap(def.external) ? true : asBool(def.external);
  if (external === undefined) return undefined;
  return { external, name: legacyName ?? (typeof def.name === 'string' ? def.name : key) };
}

/** Text for a message: a value the file wrote at great length is cut, so one bad key does not flood the screen. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A value as a message quotes it. */
export const shown = (value: unknown): string => clip(JSON.stringify(value) ?? String(value));

/** A Compose string field (`working_dir`, `user`, `image`...): anything else is an error, as in Compose. */
export function stringOf(value: unknown, path: string, error: Report): string | undefined {
  if (typeof value === 'string') return value;
  error(path, `must be a string, got ${shown(value)}`);
  return undefined;
}

/** A list of strings, or (`orString`) one string standing for a list of one, as Compose's schema allows. */
export function stringList(value: unknown, path: string, error: Report, orString = false): string[] | undefined {
  if (orString && typeof value === 'string') return [value];
  if (!Array.isArray(value)) {
    error(path, `must be a list of strings${orString ? ' or a string' : ''}, got ${shown(value)}`);
    return undefined;
  }
  const bad = value.findIndex((item) => typeof item !== 'string');
  if (bad >= 0) {
    error(`${path}[${bad}]`, `must be a string, got ${shown(value[bad])}`);
    return undefined;
  }
  return value as string[];
}

/** A value of a Compose `list_or_dict` mapping (environment, labels, sysctls): a scalar, written as a string. */
export function scalarOf(value: unknown, path: string, error: Report): string | null | undefined {
  if (value === null) return null;
  // Go writes an infinite float as +Inf / -Inf (`.inf` in the file); JavaScript as Infinity.
  if (typeof value === 'number' && !Number.isFinite(value) && !Number.isNaN(value)) return value > 0 ? '+Inf' : '-Inf';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  error(path, `must be a string, number, boolean or null, got ${shown(value)}`);
  return undefined;
}

/**
 * A Compose `list_or_dict` (labels, sysctls, extra_hosts...): a mapping of scalars, or a list of `KEY<separator>value`
 * strings (a bare `KEY` is an empty value); null values are empty. Malformed entries are errors.
 */
export function listOrDict(value: unknown, path: string, error: Report, separator = '='): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(value)) {
    for (const [key, item] of Object.entries(value)) {
      const text = scalarOf(item, `${path}.${key}`, error);
      if (text !== undefined) out[key] = text ?? '';
    }
    return out;
  }
  for (const entry of stringList(value, path, error) ?? []) {
    const at = entry.indexOf(separator);
    if (at < 0) out[entry] = '';
    else out[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return out;
}
