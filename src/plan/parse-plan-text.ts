import type { PlanIssue } from './plan-issue';
import { readYaml } from './read-yaml';

/**
 * Parses plan text (YAML, or JSON when the file is a `.json`) into a plain document; merge keys (`<<: *defaults`)
 * work as in Compose files. Syntax errors, duplicate keys, several documents, tags and pathological nesting come
 * back as issues with line and column; nothing throws.
 */
export function parsePlanText(
  text: string,
  file: string,
): { ok: true; doc: unknown } | { ok: false; errors: PlanIssue[] } {
  return readYaml(text, file, { json: /\.json$/i.test(file), merge: true });
}
