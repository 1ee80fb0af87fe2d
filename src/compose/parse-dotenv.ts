import type { PlanIssue } from '../plan/plan-issue';
import { substituteVariables, unsetMessage, type Lookup } from './interpolate';

/** A problem in a `.env` / `env_file`: at a variable (interpolation) or at a line and column (syntax). */
export interface DotenvIssue {
  /** The variable whose value is wrong; absent for syntax errors. */
  key?: string;
  /** 1-based line (and column) where the statement or the problem starts. */
  line: number;
  col: number;
  message: string;
}

export interface DotenvOptions {
  /**
   * Looked up first, for `${VAR}` in values and for bare `KEY` lines (Compose's order): for the project `.env`, the
   * environment; for an `env_file`, the project's variables (the environment over `.env`).
   */
  lookup?: Lookup;
  /** Looked up last, after `lookup` and the file's own earlier lines: variables of files read before this one. */
  known?: Readonly<Record<string, string>>;
}

export interface DotenvResult {
  /** The file's variables, in file order (a later line wins). */
  values: Record<string, string>;
  /** Syntax errors and required variables without a value: Compose refuses the file. */
  errors: DotenvIssue[];
  /** Unset variables substituted with "". */
  warnings: DotenvIssue[];
}

/** Not line breaks: Compose's spaces between the parts of a statement. */
const isBlank = (ch: string | undefined) =>
  ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r' || ch === '\u0085' || ch === '\u00a0';
const keyCharacter = /^[\p{L}\p{N}_.\-[\]]$/u;
const exportPrefix = /export\s+/y;
const escapeSequence = /\\(?:[abcfnrtv$"\\]|0\d{0,3})/g;
const escapes: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  c: '\\c',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  $: '$$',
  '"': '"',
  '\\': '\\',
};

/**
 * Reads a `.env` or `env_file` as Docker Compose v2 does:
 * - `KEY=value` or `KEY: value`, optionally after `export `; `#` starts a comment line; a bare `KEY` takes its
 *   value from `lookup` (and is left out when unset).
 * - Unquoted values end at the line's end or at ` #`, trimmed; `${VAR}`, `$VAR` and every form of
 *   `substituteVariables` are substituted, `$$` is a literal `$`.
 * - `"..."` values may span lines, expand `\n`, `\t`, `\\`, `\"`, `\$` (a literal `$`), ... and are substituted.
 * - `'...'` values are literal (only `\'` is an escape).
 * Variables resolve from `lookup` first, then the file's earlier lines, then `known`. Never throws.
 */
export function parseDotenv(text: string, options: DotenvOptions = {}): DotenvResult {
  const values = new Map<string, string>();
  const errors: DotenvIssue[] = [];
  const warnings: DotenvIssue[] = [];
  const { lookup = () => undefined, known = {} } = options;
  const resolve: Lookup = (name) =>
    lookup(name) ?? values.get(name) ?? (Object.hasOwn(known, name) ? known[name] : undefined);
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const position = positions(src);
  const done = () => ({ values: Object.fromEntries(values), errors, warnings });

  let at = 0;
  for (;;) {
    while (at < src.length && /\s/.test(src[at]!)) at++;
    if (at >= src.length) return done();
    if (src[at] === '#') {
      const end = src.indexOf('\n', at);
      at = end < 0 ? src.length : end;
      continue;
    }
    const statement = at;
    exportPrefix.lastIndex = at;
    if (exportPrefix.test(src)) at = exportPrefix.lastIndex;

    // The name: up to `=`, `:` or the line's end (a bare `KEY`).
    const keyStart = at;
    while (at < src.length && !'=:\n'.includes(src[at]!)) {
      const ch = String.fromCodePoint(src.codePointAt(at)!);
      if (!isBlank(ch) && !keyCharacter.test(ch)) {
        const line = src.slice(statement).split('\n', 1)[0]!;
        errors.push({
          ...position(at),
          message: `unexpected character ${JSON.stringify(ch)} in variable name ${JSON.stringify(line)}`,
        });
        return done();
      }
      at += ch.length;
    }
    const key = src.slice(keyStart, at).trim();
    const separator = src[at];
    at++;
    if (/\s/.test(key)) {
      errors.push({ ...position(keyStart), message: `variable name ${JSON.stringify(key)} contains a space` });
      return done();
    }
    if (separator === undefined || separator === '\n') {
      const inherited = lookup(key);
      if (key !== '' && inherited !== undefined) values.set(key, inherited);
      continue;
    }

    while (isBlank(src[at])) at++;
    const quote = src[at];
    let value: string;
    if (quote === '"' || quote === "'") {
      const quoted = closeQuote(src, at);
      if (quoted === undefined) {
        errors.push({
          ...position(at),
          message: `unterminated quoted value: the ${quote} opened here (value of ${key}) is never closed`,
        });
        return done();
      }
      value = quote === '"' ? quoted.text.replace(escapeSequence, expandEscape) : quoted.text;
      at = quoted.end;
    } else {
      const newline = src.indexOf('\n', at);
      const end = newline < 0 ? src.length : newline;
      value = src.slice(at, end);
      const comment = value.indexOf(' #');
      if (comment >= 0) value = value.slice(0, comment);
      value = value.trimEnd();
      at = end;
    }
    if (key === '') {
      warnings.push({ ...position(statement), message: `no variable name before "${separator}": ignored` });
    } else if (quote === "'") {
      values.set(key, value);
    } else {
      const substituted = substituteVariables(value, resolve);
      const where = { key, ...position(statement) };
      errors.push(...substituted.errors.map((message) => ({ ...where, message })));
      warnings.push(...substituted.unset.map((name) => ({ ...where, message: unsetMessage(name) })));
      values.set(key, substituted.value);
    }
  }
}

/**
 * A `.env` / `env_file`'s issues as plan issues of `file`: a variable's problem at the variable (its path), a syntax
 * error at its line and column.
 */
/**
 * An `env_file` with `format: raw`, as Compose reads it: `KEY=value` lines taken verbatim (quotes, `$` and ` #` are
 * part of the value), blank lines and `#` lines skipped, a bare `KEY` from `lookup` (left out when unset). A key
 * with whitespace in it is an error.
 */
export function parseRawEnv(text: string, lookup: Lookup = () => undefined): DotenvResult {
  const values: Record<string, string> = {};
  const errors: DotenvIssue[] = [];
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r?\n/);
  lines.forEach((line, index) => {
    const statement = line.trimStart();
    if (statement === '' || statement.startsWith('#')) return;
    const at = statement.indexOf('=');
    const key = at < 0 ? statement : statement.slice(0, at);
    const col = line.length - statement.length + 1;
    if (/\s/.test(key))
      return void errors.push({ line: index + 1, col, message: `variable "${key}" contains whitespace` });
    if (at >= 0) values[key] = statement.slice(at + 1);
    else {
      const found = lookup(key);
      if (found !== undefined) values[key] = found;
    }
  });
  return { values, errors, warnings: [] };
}

export function dotenvIssues(file: string, issues: readonly DotenvIssue[]): PlanIssue[] {
  return issues.map(({ key, line, col, message }) =>
    key === undefined ? { file, path: '', line, col, message } : { file, path: key, message },
  );
}

/** The text between the quote at `open` and its closing quote (a backslash escapes that quote), or undefined. */
function closeQuote(src: string, open: number): { text: string; end: number } | undefined {
  const quote = src[open];
  let text = '';
  let escaped = false;
  for (let i = open + 1; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === quote && !escaped) return { text, end: i + 1 };
    if (ch === '\\' && !escaped) {
      escaped = true;
      continue;
    }
    // A backslash before anything but the quote stays (for the double-quote escapes below).
    text += escaped && ch !== quote ? `\\${ch}` : ch;
    escaped = false;
  }
  return undefined;
}

/** A double-quoted value's escape: `\$` becomes `$$` (a literal `$` for the substitution that follows). */
function expandEscape(sequence: string): string {
  if (!sequence.startsWith('\\0')) return escapes[sequence[1]!] ?? sequence;
  const digits = sequence.slice(2);
  // An octal byte (`\0101` is "A"); Compose leaves anything else as `\` and the digits.
  return /^[0-7]{3}$/.test(digits) && parseInt(digits, 8) <= 0o377
    ? String.fromCharCode(parseInt(digits, 8))
    : `\\${digits}`;
}

/** 1-based line and column of an index, for indexes visited in increasing order mostly (a forward scan). */
function positions(src: string): (index: number) => { line: number; col: number } {
  const lineStarts = [0];
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return (index) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: index - lineStarts[low]! + 1 };
  };
}
