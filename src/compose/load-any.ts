import type { BootOptions } from '../plan/boot-input';
import { loadParsedPlan, readTextFile, type LoadPlanOptions } from '../plan/load-plan';
import { parsePlanText } from '../plan/parse-plan-text';
import type { LoadResult, PlanIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';
import { plainSecretWarnings } from '../secrets/plain-secret-warnings';
import { composeFileName, isComposeDocument, isPlanDocument, readsAsCompose } from './file-kind';
import { importCompose } from './import-compose';

/** A plan, plus what a Compose file adds: boot options from `x-bootwave` and warnings about ignored keys. */
export type AnyPlanResult = LoadResult<ResolvedPlan> & { bootOptions?: Partial<BootOptions>; warnings?: PlanIssue[] };

/**
 * Whether a file is read as a Compose file rather than a bootwave plan: by name (`docker-compose*.y[a]ml`,
 * `compose*.y[a]ml`) unless its content is plainly a plan, else by content (see `isComposeDocument`).
 */
export function isComposeFile(file: string, text?: string): boolean {
  let source = text;
  if (source === undefined) {
    const read = readTextFile(file, 'plan');
    if (!read.ok) return composeFileName(file);
    source = read.text;
  }
  const parsed = parsePlanText(source, file);
  return parsed.ok ? readsAsCompose(file, parsed.doc) : composeFileName(file);
}

/** Whether a file holds a plan by its content (a key only plans have, a plan target), whatever its name. */
export function holdsPlan(file: string): boolean {
  const read = readTextFile(file, 'plan');
  const parsed = read.ok ? parsePlanText(read.text, file) : read;
  return parsed.ok && isPlanDocument(parsed.doc);
}

/**
 * Loads a bootwave plan file or a Docker Compose file, whichever `file` is (what `up`, `validate` and `graph` take).
 * Each is read and parsed once on its way to loading; only a plan named like a Compose file is read again, after
 * the Compose import refused it.
 */
export function loadPlanOrCompose(file: string, options: LoadPlanOptions = {}): AnyPlanResult {
  if (composeFileName(file)) {
    const compose = composeResult(file, options);
    // A plan named compose.yaml fails as Compose on its own keys: it is then loaded as the plan it is.
    if (compose.ok || !holdsPlan(file)) return compose;
  }
  const read = readTextFile(file, 'plan');
  const parsed = read.ok ? parsePlanText(read.text, file) : read;
  if (!parsed.ok) return parsed;
  if (!composeFileName(file) && isComposeDocument(parsed.doc)) return composeResult(file, options);
  const loaded = loadParsedPlan(file, parsed.doc, options);
  return loaded.ok ? { ...loaded, warnings: plainSecretWarnings(loaded.plan, file) } : loaded;
}

function composeResult(file: string, options: LoadPlanOptions): AnyPlanResult {
  const result = importCompose(file, {
    ...(options.env ? { env: options.env } : {}),
    ...(options.profiles ? { profiles: options.profiles } : {}),
  });
  if (!result.ok) return { ok: false, errors: result.errors, warnings: result.warnings };
  return { ok: true, plan: result.plan, bootOptions: result.bootOptions, warnings: result.warnings };
}
