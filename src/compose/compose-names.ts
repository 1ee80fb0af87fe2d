import type { Report } from './compose-values';

/** Compose project names allow `_`; plan names are DNS-label-like. */
export function projectName(raw: string): string {
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'compose'
  );
}

/**
 * The tag Compose gives the image it builds for a service without an `image`: `<project>-<service>`, the project
 * name as Compose normalises it (lowercase; letters, digits, `_` and `-`), so an image `docker compose build` made
 * is the one bootwave uses, and the other way round.
 */
export function builtImageName(rawProject: string, service: string): string {
  const project =
    rawProject
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '')
      .replace(/^[_-]+/, '') || 'compose';
  return `${project}-${service.toLowerCase()}`;
}

/** The plan name of every Compose service: lowercase, `_` and `.` → `-`; two Compose names on one plan name are an error. */
export function serviceNames(composeNames: string[], error: Report): Map<string, string> {
  const names = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const composeName of composeNames) {
    if (!/^[a-zA-Z0-9._-]+$/.test(composeName)) {
      error(
        `services.${composeName}`,
        `invalid service name "${composeName}": Compose allows letters, digits, ".", "_" and "-"`,
      );
      continue;
    }
    const planName = projectName(composeName);
    const taken = owner.get(planName);
    if (taken !== undefined)
      error(
        `services.${composeName}`,
        `service names "${taken}" and "${composeName}" both become "${planName}" in bootwave (lowercase, "-" for "_" and ".")`,
      );
    owner.set(planName, composeName);
    names.set(composeName, planName);
  }
  return names;
}
