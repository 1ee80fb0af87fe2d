import { basename } from 'node:path';
import type { BootOptions } from '../plan/boot-input';
import { loadParsedPlan, readTextFile, type LoadPlanOptions } from '../plan/load-plan';
import { parsePlanText } from '../plan/parse-plan-text';
import type { LoadResult, PlanIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';
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
 * Whether a file is a Compose file rather than a bootwave plan: by name (`docker-compose*.y[a]ml`,
 * `compose*.y[a]ml`), else by content (see `isComposeDocument`).
 */
export function isComposeFile(file: string, text?: string): boolean {
  if (composeFileName(file)) return true;
  let source = text;
  if (source === undefined) {
    const read = readTextFile(file, 'plan');
    if (!read.ok) return false;
    source = read.text;
  }
  const parsed = parsePlanText(source, file);
  return parsed.ok && isComposeDocument(parsed.doc);
}

/** A `services` map whose entries have `image` or `build`, and no key that only plans have. */
function isComposeDocument(doc: unknown): boolean {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return false;
  if (planOnlyTopKeys.some((key) => key in doc)) return false;
  const services = (doc as { services?: unknown }).services;
  if (services === null || typeof services !== 'object') return false;
  const entries = Object.values(services as Record<string, unknown>);
  return (
    entries.length > 0 &&
    entries.every(
      (entry) =>
        entry !== null &&
        typeof entry === 'object' &&
        ('image' in entry || 'build' in entry) &&
        !planOnlyServiceKeys.some((key) => key in entry),
    )
  );
}

/**
 * Loads a bootwave plan file or a Docker Compose file, whichever `file` is (what `up`, `validate` and `graph` take).
 * A plan is read and parsed once, for telling it from a Compose file and for loading it.
 */
export function loadPlanOrCompose(file: string, options: LoadPlanOptions = {}): AnyPlanResult {
  if (!composeFileName(file)) {
    const read = readTextFile(file, 'plan');
    if (!read.ok) return read;
    const parsed = parsePlanText(read.text, file);
    if (!parsed.ok) return parsed;
    if (!isComposeDocument(parsed.doc)) return loadParsedPlan(file, parsed.doc, options);
  }
  const result = importCompose(file, {
    ...(options.env ? { env: options.env } : {}),
    ...(options.profiles ? { profiles: options.profiles } : {}),
  });
  if (!result.ok) return { ok: false, errors: result.errors, warnings: result.warnings };
  return { ok: true, plan: result.plan, bootOptions: result.bootOptions, warnings: result.warnings };
}
