import { parseDocument } from 'yaml';
import type { PlanIssue } from './plan-issue';

/**
 * Parses plan text (YAML, or JSON, which YAML reads too) into a plain document. Syntax errors and duplicate keys
 * come back as issues with line and column; nothing throws.
 */
export function parsePlanText(
  text: string,
  file: string,
): { ok: true; doc: unknown } | { ok: false; errors: PlanIssue[] } {
  try {
    const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
    if (document.errors.length > 0) {
      return {
        ok: false,
        errors: document.errors.map((error) => {
          const position = error.linePos?.[0];
          const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
          return { file, path: '', message, line: position?.line ?? 1, col: position?.col ?? 1 };
        }),
      };
    }
    return { ok: true, doc: document.toJS({ maxAliasCount: 100 }) };
  } catch (error) {
    // toJS refuses alias bombs and similar pathological input: still a user error, not a crash.
    return {
      ok: false,
      errors: [
        { file, path: '', message: `Failed to read plan: ${error instanceof Error ? error.message : String(error)}` },
      ],
    };
  }
}
