import { mapStrings } from './map-strings';
import { formatPath } from './plan-issue';

export interface SubstitutionIssue {
  path: string;
  message: string;
}

const reference = /\$\$|\$\{([^}]*)\}|\$\{/g;
const variablePattern = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string value (not in keys) with the environment's value, so the
 * environment overrides what the plan file says; `$$` is a literal `$`. A variable that is unset (or, with `:-`,
 * empty) and has no default is an issue naming the path, as Compose reports it.
 */
export function substituteEnv(
  doc: unknown,
  env: Readonly<Record<string, string | undefined>>,
  onNode?: () => void,
): { value: unknown; issues: SubstitutionIssue[] } {
  const issues: SubstitutionIssue[] = [];
  const value = mapStrings(
    doc,
    (text, path) => substituteString(text, env, (message) => issues.push({ path: formatPath(path), message })),
    onNode,
  );
  return { value, issues };
}

function substituteString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  report: (message: string) => void,
): string {
  if (!text.includes('$')) return text;
  return text.replace(reference, (match, body: string | undefined) => {
    if (match === '$$') return '$';
    if (body === undefined) {
      report(`unterminated "\${" in ${JSON.stringify(text)}: write "$$" for a literal "$"`);
      return match;
    }
    const parsed = variablePattern.exec(body);
    if (!parsed) {
      report(`invalid variable reference "${match}": expected \${NAME} or \${NAME:-default}`);
      return match;
    }
    const [, name, fallback] = parsed as unknown as [string, string, string | undefined];
    const value = env[name];
    if (value !== undefined && (value !== '' || fallback === undefined)) return value;
    if (fallback !== undefined) return fallback;
    report(`environment variable ${name} is not set (write \${${name}:-default} to give a default)`);
    return '';
  });
}
