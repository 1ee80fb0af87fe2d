/** One problem found in a plan: the file, where inside it, and what is wrong. */
export interface PlanIssue {
  file: string;
  /** Dotted path inside the document, e.g. `services.zeus.dependsOn[1]`; empty for the whole file. */
  path: string;
  message: string;
  /** 1-based position, for syntax errors. */
  line?: number;
  col?: number;
}

/** The result of loading a plan: never an exception for bad input. */
export type LoadResult<T> = { ok: true; plan: T } | { ok: false; errors: PlanIssue[] };

/** Renders a path as `services.zeus.dependsOn[1]`; control characters in keys are escaped (`\u0000`). */
export function formatPath(segments: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? escapeControls(String(segment)) : `.${escapeControls(String(segment))}`;
  }
  return text;
}

/**
 * Characters that must not reach a terminal raw: C0 and C1 controls, DEL, the line and paragraph separators and the
 * bidirectional overrides (which reorder what follows them on screen).
 */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const shortEscapes: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/**
 * A key or value of the plan as a message shows it: control characters escaped as JSON writes them (`\u0000`,
 * `\n`), everything else as is. Idempotent: escaped text holds no control characters.
 */
export function escapeControls(text: string): string {
  return text.replace(
    controlCharacters,
    (ch) => shortEscapes[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * `<file>:<line>:<col>: <message>` for syntax errors, `<file>: <path>: <message>` otherwise; control characters
 * (from keys and values of the plan) are escaped, so that no input writes raw control bytes to the terminal.
 */
export function formatIssue(issue: PlanIssue): string {
  const file = escapeControls(issue.file);
  const path = escapeControls(issue.path);
  const message = escapeControls(issue.message);
  if (issue.line !== undefined) return `${file}:${issue.line}:${issue.col ?? 1}: ${message}`;
  return path === '' ? `${file}: ${message}` : `${file}: ${path}: ${message}`;
}
