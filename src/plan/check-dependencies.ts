import { didYouMean } from './closest-name';
import { knownField, type Report, type ServiceEntry } from './service-entry';
import type { Dependency } from './types';

/**
 * Normalizes one service's `dependsOn` (short form = requires + healthy, or completed for a one-shot) and reports
 * unknown names, duplicates, deselected hard dependencies and conditions that cannot hold. A soft (`wants`)
 * dependency on a service outside the selected profiles is dropped, as systemd ignores a missing wanted unit.
 */
export function checkDependencies(
  entry: ServiceEntry,
  entries: ReadonlyMap<string, ServiceEntry>,
  report: Report,
  /** ` (did you mean "x"?)` for an unknown service name, or nothing. */
  suggestService: (name: string) => string = (name) => didYouMean(name, entries.keys()),
): Dependency[] {
  const resolved: Dependency[] = [];
  const seen = new Set<string>();
  (entry.spec?.dependsOn ?? []).forEach((raw, index) => {
    const path = `services.${entry.name}.dependsOn[${index}]`;
    const service = typeof raw === 'string' ? raw : raw.service;
    const target = entries.get(service);
    if (!target) return report(path, `unknown service "${service}"${suggestService(service)}`);
    if (seen.has(service)) return report(path, `duplicate dependency on "${service}"`);
    seen.add(service);
    const kind = (typeof raw === 'string' ? undefined : raw.kind) ?? 'requires';
    const oneShot = target.spec?.oneShot ?? false;
    const condition = (typeof raw === 'string' ? undefined : raw.condition) ?? (oneShot ? 'completed' : 'healthy');
    if (!target.active) {
      if (kind === 'wants') return;
      const profiles = target.spec?.profiles?.join(', ') ?? '';
      return report(
        path,
        `requires "${service}", which is not selected: it runs only with profile ${profiles} (add --profile)`,
      );
    }
    // A service that failed the schema is known in part: its kind is judged only when its oneShot field passed.
    if (!knownField(target, 'oneShot')) return void resolved.push({ service, kind, condition });
    if (oneShot && condition === 'healthy')
      return report(path, `"${service}" is a one-shot: use condition "completed" instead of "healthy"`);
    if (!oneShot && condition === 'completed' && target.spec) {
      return report(
        path,
        `condition "completed" needs a one-shot service, but "${service}" is not (set oneShot: true on it, or use "healthy")`,
      );
    }
    resolved.push({ service, kind, condition });
  });
  (entry.spec?.health?.preChecks ?? []).forEach((pre, index) => {
    if (!entries.has(pre.service))
      report(
        `services.${entry.name}.health.preChecks[${index}].service`,
        `unknown service "${pre.service}"${suggestService(pre.service)}`,
      );
  });
  return resolved;
}
