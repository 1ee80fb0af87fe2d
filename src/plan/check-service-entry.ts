import { dependencySchema, nameSchema, preCheckSchema, serviceSchema, type ServiceFile } from './plan-schema';
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
}

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
    const partial = partialSpec(doc);
    checkManifestSources(name, partial, context, report);
    return { name, spec: partial, active: isActive(partial, context), partial: true };
  }
  const spec = parsed.data;
  const targets = (['process', 'docker', 'kubernetes'] as const).filter((t) => spec[t] !== undefined);
  if (targets.length === 0) report(`services.${name}`, 'needs a target: one of process, docker or kubernetes');
  if (targets.length > 1) report(`services.${name}`, `has ${targets.join(' and ')}: choose exactly one target`);
  if (spec.kubernetes && (spec.kubernetes.manifests ?? []).length + (spec.kubernetes.inline ?? []).length === 0) {
    report(`services.${name}.kubernetes`, 'needs manifests or inline documents');
  }
  checkManifestSources(name, spec, context, report);
  return { name, spec, active: isActive(spec, context) };
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
  return !spec.profiles?.length || spec.profiles.some((p) => context.selectedProfiles.has(p));
}

/**
 * The fields of an invalid service that pass on their own; the dependencies element by element and the
 * pre-checks even when the rest of `health` fails, so one run reports every reference problem too.
 */
function partialSpec(doc: unknown): ServiceFile {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return {};
  const raw = doc as Record<string, unknown>;
  const spec: Record<string, unknown> = {};
  const shape = serviceSchema.shape;
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (raw[key] === undefined) continue;
    const field = shape[key].safeParse(raw[key]);
    if (field.success) spec[key] = field.data;
  }
  if (spec.dependsOn === undefined && Array.isArray(raw.dependsOn))
    spec.dependsOn = raw.dependsOn.filter((item) => dependencySchema.safeParse(item).success);
  const health = raw.health as { preChecks?: unknown } | null | undefined;
  if (spec.health === undefined && health !== null && typeof health === 'object' && Array.isArray(health.preChecks))
    spec.health = {
      check: { kind: 'exec', argv: ['-'] },
      preChecks: health.preChecks.filter((item) => preCheckSchema.safeParse(item).success),
    };
  return spec as ServiceFile;
}
