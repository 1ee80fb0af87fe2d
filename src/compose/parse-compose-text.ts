import type { PlanIssue } from '../plan/plan-issue';
import { readYaml } from '../plan/read-yaml';
import { mergeTags, taggedKey } from './merge-tags';

/**
 * Parses Compose YAML. Unlike plan files, Compose files lean on YAML 1.1 merge keys (`<<: *defaults`) and many
 * aliases to share settings between services, so merges are resolved and aliases are bounded by the size they
 * expand to, not by their count. `!reset`/`!override` stay on their keys for the merge (`merge-tags.ts`). Integers
 * are read as Compose's Go YAML reads them (`0755` is octal). Syntax errors come back with line and column.
 */
export function parseComposeText(
  text: string,
  file: string,
): { ok: true; doc: unknown } | { ok: false; errors: PlanIssue[] } {
  return readYaml(text, file, {
    merge: true,
    json: /\.json$/i.test(file),
    knownTags: mergeTags,
    tagKey: taggedKey,
    goIntegers: true,
  });
}
