import { mapStrings } from '../plan/map-strings';
import { formatPath } from '../plan/plan-issue';

const reference = /\$(?:\$|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\{))/g;
const braced = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])(.*))?$/s;

/**
 * Compose's variable interpolation in every string value: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?message}` / `${VAR?message}` (required), `$$` for a literal `$`.
 * An unset variable without a default becomes "" as in Compose, with a warning; a required one is an error.
 */
export function interpolate(
  doc: unknown,
  env: Readonly<Record<string, string | undefined>>,
): {
  value: unknown;
  errors: { path: string; message: string }[];
  warnings: { path: string; message: string }[];
} {
  const errors: { path: string; message: string }[] = [];
  const warnings: { path: string; message: string }[] = [];
  const value = mapStrings(doc, (text, path) => interpolateString(text, env, path, errors, warnings));
  return { value, errors, warnings };
}

function interpolateString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  pathSegments: PropertyKey[],
  errors: { path: string; message: string }[],
  warnings: { path: string; message: string }[],
): string {
  if (!text.includes('$')) return text;
  const path = formatPath(pathSegments);
  return text.replace(
    reference,
    (match, body: string | undefined, bare: string | undefined, open: string | undefined) => {
      if (match === '$$') return '$';
      if (open !== undefined) {
        errors.push({ path, message: `unterminated "\${" in ${JSON.stringify(text)}: write "$$" for a literal "$"` });
        return match;
      }
      const name = bare ?? braced.exec(body ?? '')?.[1];
      const parsed = bare === undefined ? braced.exec(body ?? '') : null;
      if (name === undefined || (bare === undefined && !parsed)) {
        errors.push({ path, message: `invalid variable reference "${match}"` });
        return match;
      }
      const value = env[name];
      const operator = parsed?.[2];
      const argument = parsed?.[3] ?? '';
      const missing = operator?.startsWith(':') ? value === undefined || value === '' : value === undefined;
      if (!missing && value !== undefined) return value;
      if (operator === ':-' || operator === '-') return argument;
      if (operator === ':?' || operator === '?') {
        errors.push({
          path,
          message: `required variable ${name} is missing a value${argument === '' ? '' : `: ${argument}`}`,
        });
        return '';
      }
      if (value === undefined)
        warnings.push({ path, message: `variable ${name} is not set; substituting an empty string (as Compose does)` });
      return value ?? '';
    },
  );
}
