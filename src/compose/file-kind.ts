import { basename } from 'node:path';

/**
 * Whether a file reads as a bootwave plan or a Compose file, by its name and its parsed document: a module of its
 * own, so a command that needs only a plan's name reads it without the loaders (and zod).
 */

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
export const composeFileName = (file: string) => /^(docker-)?compose[^/]*\.ya?ml$/i.test(basename(file));

export function readsAsCompose(file: string, doc: unknown): boolean {
  return composeFileName(file) ? !isPlanDocument(doc) : isComposeDocument(doc);
}

/** Services as a list of entries, when the document is a mapping with a `services` mapping. */
function serviceEntries(doc: unknown): unknown[] | undefined {
  if (!isMapping(doc)) return undefined;
  const services = doc.services;
  return isMapping(services) ? Object.values(services) : undefined;
}

export const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Services that all have `image`, `build` or `extends`, and no key that only plans have. */
export function isComposeDocument(doc: unknown): boolean {
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
export function isPlanDocument(doc: unknown): boolean {
  if (!isMapping(doc)) return false;
  if (planOnlyTopKeys.some((key) => key in doc)) return true;
  return (serviceEntries(doc) ?? []).some(
    (entry) => isMapping(entry) && ['docker', 'process', 'kubernetes'].some((key) => key in entry),
  );
}
