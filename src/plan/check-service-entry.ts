import { didYouMean } from './closest-name';
import type { z } from 'zod';
import {
  dependencySchema,
  kubernetesSchema,
  nameSchema,
  preCheckSchema,
  serviceSchema,
  type ServiceFile,
} from './plan-schema';
import { manifestDocuments } from './manifest-documents';
import { formatPath } from './plan-issue';
import type { Report, ServiceEntry } from './service-entry';
import { schemaProblems } from './zod-issues';

const bareImageMessage =
  'unknown field: a plan names the image under the target, docker: { image: ... } (a Compose file is read as Compose when named compose*.yaml or docker-compose*.yaml)';

export interface EntryContext {
  selectedProfiles: ReadonlySet<string>;
  resolvePath: (path: string) => string;
  /** Problems of a manifest file or folder (missing, unreadable, documents that are not objects); IO, injected. */
  manifestProblems?: (path: string) => string[];
  /** What would fail a build before it starts (a missing context or Dockerfile); IO, injected. */
  buildProblem?: BuildSourceCheck;
}

/**
 * What would fail a build before it starts, given the context as written, the absolute context folder and the
 * Dockerfile the plan names: the message, and the build key at fault (none for the default Dockerfile).
 */
export type BuildSourceCheck = (
  written: string,
  context: string,
  dockerfile?: string,
) => { message: string; at?: 'context' | 'dockerfile' } | undefined;

/** Validates one service on its own (schema, name, one target, manifests) and decides whether profiles select it. */
export function checkServiceEntry(name: string, doc: unknown, context: EntryContext, report: Report): ServiceEntry {
  if (!nameSchema.safeParse(name).success) {
    report(
      `services.${name}`,
      `invalid service name "${name}": must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`,
    );
  }
  const parsed = serviceSchema.safeParse(doc, { reportInput: true });
  if (!parsed.success) {
    for (const problem of schemaProblems(serviceSchema, parsed.error.issues, ['services', name])) {
      const bareImage = problem.path.length === 3 && problem.path[2] === 'image';
      report(formatPath(problem.path), bareImage ? bareImageMessage : problem.message);
    }
    const { spec: partial, failedFields } = partialSpec(doc);
    checkManifestSources(name, partial, context, report);
    return { name, spec: partial, active: isActive(partial, context), partial: true, failedFields };
  }
  const spec = parsed.data;
  const targets = (['process', 'docker', 'kubernetes'] as const).filter((t) => spec[t] !== undefined);
  if (targets.length === 0) report(`services.${name}`, 'needs a target: one of process, docker or kubernetes');
  if (targets.length > 1) report(`services.${name}`, `has ${targets.join(' and ')}: choose exactly one target`);
  if (spec.kubernetes && (spec.kubernetes.manifests ?? []).length + (spec.kubernetes.inline ?? []).length === 0) {
    report(`services.${name}.kubernetes`, 'needs manifests or inline documents');
  }
  checkManifestSources(name, spec, context, report);
  checkNetworkAliases(name, spec, report);
  const build = spec.docker?.build;
  const buildProblem =
    build && context.buildProblem?.(build.context, context.resolvePath(build.context), build.dockerfile);
  // At the key that is wrong: the context, the Dockerfile the plan names, or the build itself for the default one.
  if (buildProblem)
    report(
      `services.${name}.docker.build${buildProblem.at === undefined ? '' : `.${buildProblem.at}`}`,
      buildProblem.message,
    );
  return { name, spec, active: isActive(spec, context) };
}

/** Names given on a network the container does not join would be given nowhere. */
function checkNetworkAliases(name: string, spec: ServiceFile, report: Report): void {
  const joined = spec.docker?.networks ?? [];
  for (const network of Object.keys(spec.docker?.networkAliases ?? {}))
    if (!joined.includes(network))
      report(
        `services.${name}.docker.networkAliases.${network}`,
        joined.length === 0
          ? `the container joins no network of its own (docker.networks is empty): give these names in docker.aliases`
          : `"${network}" is not one of this container's networks (${joined.join(', ')})${didYouMean(network, joined)}`,
      );
}

/** Manifest files that do not exist, and inline documents that are not Kubernetes objects. */
function checkManifestSources(name: string, spec: ServiceFile, context: EntryContext, report: Report): void {
  (spec.kubernetes?.manifests ?? []).forEach((manifest, index) => {
    for (const problem of context.manifestProblems?.(context.resolvePath(manifest)) ?? [])
      report(`services.${name}.kubernetes.manifests[${index}]`, problem);
  });
  (spec.kubernetes?.inline ?? []).forEach((text, index) => {
    for (const problem of manifestDocuments(text, `inline manifest ${index + 1}`).problems)
      report(`services.${name}.kubernetes.inline[${index}]`, problem);
  });
}

function isActive(spec: ServiceFile, context: EntryContext): boolean {
  return inSelectedProfiles(spec.profiles, context.selectedProfiles);
}

/** A service with no profiles always runs; one with profiles runs when one of them is selected, as in Compose. */
export function inSelectedProfiles(profiles: readonly unknown[] | undefined, selected: ReadonlySet<string>): boolean {
  return !profiles?.length || profiles.some((profile) => selected.has(String(profile)));
}

/**
 * The fields of an invalid service that pass on their own, and those that fail. Lists that fail are kept element by
 * element (the dependencies, the pre-checks even when the rest of `health` fails, the Kubernetes manifests and
 * inline documents even when the rest of `kubernetes` fails), so one run reports every reference and manifest
 * problem too.
 */
function partialSpec(doc: unknown): { spec: ServiceFile; failedFields: ReadonlySet<string> | 'all' } {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { spec: {}, failedFields: 'all' };
  const raw = doc as Record<string, unknown>;
  const spec: Record<string, unknown> = {};
  const failedFields = new Set<string>();
  const shape = serviceSchema.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (raw[key] === undefined) continue;
    const field = shape[key].safeParse(raw[key]);
    if (field.success) spec[key] = field.data;
    else failedFields.add(key);
  }
  if (spec.dependsOn === undefined) {
    const dependsOn = passingItems(raw.dependsOn, dependencySchema);
    if (dependsOn) spec.dependsOn = dependsOn;
  }
  const health = raw.health as { preChecks?: unknown } | null | undefined;
  const preChecks = spec.health === undefined ? passingItems(asMapping(health)?.preChecks, preCheckSchema) : undefined;
  if (preChecks) spec.health = { check: { kind: 'exec', argv: ['-'] }, preChecks };
  const kubernetes = asMapping(raw.kubernetes);
  if (spec.kubernetes === undefined && kubernetes) {
    const manifests = passingItems(kubernetes.manifests, kubernetesSchema.shape.manifests.unwrap().element);
    const inline = passingItems(kubernetes.inline, kubernetesSchema.shape.inline.unwrap().element);
    spec.kubernetes = { ...(manifests ? { manifests } : {}), ...(inline ? { inline } : {}) };
  }
  return { spec: spec as ServiceFile, failedFields };
}

function asMapping(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The items of a list that pass on their own, each at its own index (a sparse array: `forEach` skips the holes),
 * so that the problems found in them name the index the plan gives them; undefined when `value` is not a list.
 */
function passingItems<T>(value: unknown, schema: z.ZodType<T>): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = new Array<T>(value.length);
  value.forEach((item: unknown, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) items[index] = parsed.data;
  });
  return items;
}
