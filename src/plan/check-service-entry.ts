import { nameSchema, serviceSchema } from './plan-schema';
import { formatPath } from './plan-issue';
import type { Report, ServiceEntry } from './service-entry';
import { schemaProblems } from './zod-issues';

export interface EntryContext {
  selectedProfiles: ReadonlySet<string>;
  resolvePath: (path: string) => string;
  pathExists?: (path: string) => boolean;
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
      report(formatPath(problem.path), problem.message);
    }
    return { name, active: true };
  }
  const spec = parsed.data;
  const targets = (['process', 'docker', 'kubernetes'] as const).filter((t) => spec[t] !== undefined);
  if (targets.length === 0) report(`services.${name}`, 'needs a target: one of process, docker or kubernetes');
  if (targets.length > 1) report(`services.${name}`, `has ${targets.join(' and ')}: choose exactly one target`);
  if (spec.kubernetes && (spec.kubernetes.manifests ?? []).length + (spec.kubernetes.inline ?? []).length === 0) {
    report(`services.${name}.kubernetes`, 'needs manifests or inline documents');
  }
  (spec.kubernetes?.manifests ?? []).forEach((manifest, index) => {
    const resolved = context.resolvePath(manifest);
    if (context.pathExists && !context.pathExists(resolved)) {
      report(`services.${name}.kubernetes.manifests[${index}]`, `manifest not found: ${resolved}`);
    }
  });
  const active = !spec.profiles?.length || spec.profiles.some((p) => context.selectedProfiles.has(p));
  return { name, spec, active };
}
