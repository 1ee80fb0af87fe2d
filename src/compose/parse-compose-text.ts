import { parseDocument } from 'yaml';
import type { PlanIssue } from '../plan/plan-issue';

/**
 * Parses Compose YAML. Unlike plan files, Compose files lean on YAML 1.1 merge keys (`<<: *defaults`) to share
 * settings between services, so merges are resolved here. Syntax errors come back with line and column.
 */
export function parseComposeText(
  text: string,
  file: string,
): { ok: true; doc: unknown } | { ok: false; errors: PlanIssue[] } {
  try {
    const document = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: false });
    if (document.errors.length > 0) {
      return {
        ok: false,
        errors: document.errors.map((error) => {
          const position = error.linePos?.[0];
          return {
            file,
            path: '',
            message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
            line: position?.line ?? 1,
            col: position?.col ?? 1,
          };
        }),
      };
    }
    return { ok: true, doc: document.toJS({ maxAliasCount: 1000 }) };
  } catch (error) {
    return {
      ok: false,
      errors: [
        {
          file,
          path: '',
          message: `Failed to read Compose file: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}
