/** A mapping of the Compose document. */
export type Doc = Record<string, unknown>;

/** Records a problem (an error or a warning) at a path in the Compose file. */
export type Report = (path: string, message: string) => void;

/** A YAML mapping: not null, not a list. */
export const isMap = (value: unknown): value is Doc =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A count of 1, as a number or a string (after interpolation). */
export const isOne = (value: unknown): boolean => value === 1 || value === '1';

/** Booleans as Compose reads them after interpolation (Go's strconv.ParseBool); undefined when not one. */
export function asBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = String(value);
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}
