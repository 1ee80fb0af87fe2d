import { mapStrings } from '../plan/map-strings';
import { formatPath } from '../plan/plan-issue';

/** A variable's value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** One string after substitution: what is wrong with it, and the variables it used that are not set. */
export interface Substitution {
  value: string;
  /** One message per problem (required variables without a value, malformed references); the caller adds where. */
  errors: string[];
  /** Variables referenced as `$VAR` or `${VAR}` that are not set (each became ""), once each. */
  unset: string[];
}

const namePattern = /[A-Za-z_][A-Za-z0-9_]*/y;
/** References nested deeper than this (`${A:-${B:-...}}`) are an error rather than a stack overflow. */
const maxNesting = 64;
const operatorPattern = /:?[-+?]/y;
const forms =
  'expected ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:+alternative}, ${VAR+alternative}, ${VAR:?message} or ${VAR?message}';

/**
 * Compose's variable interpolation of one string, as Docker Compose v2 does it:
 * - `$VAR` and `${VAR}`: the value; unset becomes "" (listed in `unset`, Compose warns).
 * - `${VAR:-default}` (unset or empty), `${VAR-default}` (unset): the default otherwise.
 * - `${VAR:+alternative}` (set and not empty), `${VAR+alternative}` (set): the alternative, "" otherwise.
 * - `${VAR:?message}` (unset or empty), `${VAR?message}` (unset): an error naming the variable and the message.
 * - `$$`: a literal `$`; a `$` not followed by a name or `{` stays as it is.
 *
 * Defaults, alternatives and messages are themselves interpolated (`${A:-${B:-x}}`, `${A:-$$5}` is `$5`), always,
 * as Compose does: a required variable inside an unused default is still an error. A reference with an operator
 * ends at its matching `}` on the same line (braces are counted as Compose counts them); without one it is an error.
 */
export function substituteVariables(text: string, lookup: Lookup): Substitution {
  const errors: string[] = [];
  const unset = new Set<string>();
  const value = text.includes('$') ? substitute(text, { lookup, whole: text, errors, unset, depth: 0 }) : text;
  return { value, errors, unset: [...unset] };
}

interface Pass {
  lookup: Lookup;
  /** The string being substituted, for messages. */
  whole: string;
  errors: string[];
  unset: Set<string>;
  /** How many references enclose the text being substituted. */
  depth: number;
}

function substitute(text: string, pass: Pass): string {
  if (pass.depth > maxNesting) {
    pass.errors.push(`variable references nested more than ${maxNesting} deep in ${JSON.stringify(pass.whole)}`);
    return text;
  }
  const lines = lineBounds(text);
  let out = '';
  let at = 0;
  while (at < text.length) {
    const dollar = text.indexOf('$', at);
    if (dollar < 0) break;
    out += text.slice(at, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      at = dollar + 2;
      continue;
    }
    if (next === '{') {
      const reference = bracedReference(text, dollar, lines(dollar));
      if ('problem' in reference) {
        pass.errors.push(
          reference.problem === 'unterminated'
            ? `unterminated "\${" in ${JSON.stringify(pass.whole)}: write "$$" for a literal "$"`
            : `invalid variable reference "${reference.text}" (${forms}; write "$$" for a literal "$")`,
        );
        // The rest of this string is not read: one malformed reference is reported, not what follows from it.
        return out + text.slice(dollar);
      }
      out += resolveReference(reference, pass);
      at = reference.end;
      continue;
    }
    namePattern.lastIndex = dollar + 1;
    const name = namePattern.exec(text)?.[0];
    if (name === undefined) {
      out += '$';
      at = dollar + 1;
      continue;
    }
    const value = pass.lookup(name);
    if (value === undefined) pass.unset.add(name);
    out += value ?? '';
    at = dollar + 1 + name.length;
  }
  return out + text.slice(at);
}

interface BracedReference {
  name: string;
  operator?: string;
  argument: string;
  /** Index after the closing `}`. */
  end: number;
}

/** For an index: where its line ends and the last `}` of the line (-1 if none), computed once per line. */
function lineBounds(text: string): (index: number) => { lineEnd: number; lastBrace: number } {
  let current = { lineStart: -1, lineEnd: -1, lastBrace: -1 };
  return (index) => {
    if (index < current.lineStart || index >= current.lineEnd) {
      const lineStart = text.lastIndexOf('\n', index) + 1;
      const newline = text.indexOf('\n', index);
      const lineEnd = newline < 0 ? text.length : newline;
      const brace = text.lastIndexOf('}', lineEnd - 1);
      current = { lineStart, lineEnd, lastBrace: brace >= lineStart ? brace : -1 };
    }
    return current;
  };
}

/** Parses the `${...}` starting at `start`: name, operator, argument (up to its matching `}`), or what is wrong. */
function bracedReference(
  text: string,
  start: number,
  { lineEnd, lastBrace }: { lineEnd: number; lastBrace: number },
): BracedReference | { problem: 'unterminated' | 'invalid'; text: string } {
  const malformed = () => {
    const firstBrace = text.indexOf('}', start);
    return firstBrace < 0 || firstBrace > lineEnd
      ? ({ problem: 'unterminated', text: text.slice(start, lineEnd) } as const)
      : ({ problem: 'invalid', text: text.slice(start, firstBrace + 1) } as const);
  };
  namePattern.lastIndex = start + 2;
  const name = namePattern.exec(text)?.[0];
  if (name === undefined) return malformed();
  const afterName = start + 2 + name.length;
  if (text[afterName] === '}') return { name, argument: '', end: afterName + 1 };
  operatorPattern.lastIndex = afterName;
  const operator = operatorPattern.exec(text)?.[0];
  if (operator === undefined) return malformed();
  const argumentStart = afterName + operator.length;
  // Compose takes the reference up to the last `}` of its line, then cuts it at the `}` that closes the `${`
  // (counting `{` and `}`, the character after a `{` skipped); when none closes it, the whole of it.
  if (lastBrace < argumentStart) return malformed();
  let close = lastBrace;
  let depth = 0;
  for (let i = start; i <= lastBrace; i++) {
    if (text[i] === '}' && --depth === 0) {
      close = i;
      break;
    }
    if (text[i] === '{') {
      depth++;
      i++;
    }
  }
  return { name, operator, argument: text.slice(argumentStart, close), end: close + 1 };
}

function resolveReference({ name, operator, argument }: BracedReference, pass: Pass): string {
  const value = pass.lookup(name);
  if (operator === undefined) {
    if (value === undefined) pass.unset.add(name);
    return value ?? '';
  }
  const nested = substitute(argument, { ...pass, depth: pass.depth + 1 });
  const set = value !== undefined && (!operator.startsWith(':') || value !== '');
  switch (operator) {
    case ':-':
    case '-':
      return set ? value! : nested;
    case ':+':
    case '+':
      return set ? nested : (value ?? '');
    default:
      if (set) return value!;
      pass.errors.push(`required variable ${name} is missing a value${nested === '' ? '' : `: ${nested}`}`);
      return '';
  }
}

/**
 * Compose's interpolation of every string value of a parsed file (not keys), with `env` as the variables (see
 * `substituteVariables`). A required variable without a value or a malformed reference is an error at its path;
 * an unset variable becomes "" as in Compose, with a warning.
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
  const lookup: Lookup = (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
  const value = mapStrings(doc, (text, segments) => {
    const result = substituteVariables(text, lookup);
    if (result.errors.length > 0 || result.unset.length > 0) {
      const path = formatPath(segments);
      errors.push(...result.errors.map((message) => ({ path, message })));
      warnings.push(...result.unset.map((name) => ({ path, message: unsetMessage(name) })));
    }
    return result.value;
  });
  return { value, errors, warnings };
}

/** The warning for an unset variable that became "". */
export function unsetMessage(name: string): string {
  return `variable ${name} is not set; substituting an empty string (as Compose does)`;
}
