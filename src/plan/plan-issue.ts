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

/** Renders a path as `services.zeus.dependsOn[1]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** `<file>:<line>:<col>: <message>` for syntax errors, `<file>: <path>: <message>` otherwise. */
export function formatIssue(issue: PlanIssue): string {
  if (issue.line !== undefined) return `${issue.file}:${issue.line}:${issue.col ?? 1}: ${issue.message}`;
  return issue.path === '' ? `${issue.file}: ${issue.message}` : `${issue.file}: ${issue.path}: ${issue.message}`;
}
