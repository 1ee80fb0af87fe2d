import { basename } from 'node:path';
import type { BootOptions } from '../plan/boot-input';
import { loadParsedPlan, readTextFile, type LoadPlanOptions } from '../plan/load-plan';
import { parsePlanText } from '../plan/parse-plan-text';
import type { LoadResult, PlanIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';
import { plainSecretWarnings } from '../secrets/plain-secret-warnings';
import { importCompose } from './import-compose';

/** A plan, plus what a Compose file adds: boot options from `x-bootwave` and warnings about ignored keys. */
export type AnyPlanResult = LoadResult<ResolvedPlan> & { bootOptions?: Partial<BootOptions>; warnings?: PlanIssue[] };

/** Keys only a bootwave plan has: a file that uses one is a plan, whatever else it holds (a bare `image:` typo). */
const planOnlyTopKeys = ['waves', 'defaults', '$schema'];
const planOnlyServiceKeys = [
  'docker',
  'process',
  'kubernetes',
  'dependsOn',
  'wave',
  'health',
  'oneShot',
  'startTimeout',
  'expectedStart',
  'critical',
  'resources',
];

/** A Compose file by its name: `docker-compose*.y[a]ml`, `compose*.y[a]ml`. */
const composeFileName = (file: string) => /^(docker-)?compose[^/]*\.ya?ml$/i.test(basename(file));

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

function readsAsCompose(file: string, doc: unknown): boolean {
  return composeFileName(file) ? !isPlanDocument(doc) : isComposeDocument(doc);
}

/** Services as a list of entries, when the document is a mapping with a `services` mapping. */
function serviceEntries(doc: unknown): unknown[] | undefined {
  if (!isMapping(doc)) return undefined;
  const services = doc.services;
  return isMapping(services) ? Object.values(services) : undefined;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Services that all have `image`, `build` or `extends`, and no key that only plans have. */
function isComposeDocument(doc: unknown): boolean {
  const entries = serviceEntries(doc);
  if (!entries || planOnlyTopKeys.some((key) => key in (doc as object))) return false;
  return (
    entries.length > 0 &&
    entries.every(
      (entry) =>
        isMapping(entry) &&
        ('image' in entry || 'build' in entry || 'extends' in entry) &&
        !planOnlyServiceKeys.some((key) => key in entry),
    )
  );
}

/** A key only plans have at the top, or a service with a plan's target: a plan, even named `compose.yaml`. */
function isPlanDocument(doc: unknown): boolean {
  if (!isMapping(doc)) return false;
  if (planOnlyTopKeys.some((key) => key in doc)) return true;
  return (serviceEntries(doc) ?? []).some(
    (entry) => isMapping(entry) && ['docker', 'process', 'kubernetes'].some((key) => key in entry),
  );
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
