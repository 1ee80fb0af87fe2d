import type { HealthState } from './compose-healthcheck';
import { asBool, isMap, notBoolean, stringList, type Report } from './compose-values';

const conditions: Record<string, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

const dependencyKeys = ['condition', 'required', 'restart'];

/** A dependency as the plan document writes it. */
export type PlanDependency = { service: string; kind: string; condition: string };

/** A service's `depends_on` (list or mapping) as plan dependencies; services waited on to complete go to `oneShots`. */
export function dependsOn(
  value: unknown,
  path: string,
  oneShots: Set<string>,
  error: Report,
  warn: Report,
): PlanDependency[] {
  if (Array.isArray(value))
    return (stringList(value, path, error) ?? []).map((svc) => ({
      service: svc,
      kind: 'requires',
      condition: 'started',
    }));
  if (!isMap(value)) {
    error(path, 'must be a list or a mapping');
    return [];
  }
  return Object.entries(value).map(([svc, opts]) => {
    if (opts !== null && !isMap(opts))
      error(`${path}.${svc}`, `must be a mapping (condition, required, restart), got ${JSON.stringify(opts)}`);
    const options = isMap(opts) ? opts : {};
    // A misspelt key would quietly make the gate `service_started`: weaker than the file meant.
    for (const key of Object.keys(options))
      if (!dependencyKeys.includes(key) && !key.startsWith('x-'))
        error(`${path}.${svc}.${key}`, `unknown key (expected ${dependencyKeys.join(', ')})`);
    const rawCondition = typeof options.condition === 'string' ? options.condition : 'service_started';
    const condition = conditions[rawCondition];
    if (!condition)
      error(
        `${path}.${svc}.condition`,
        `unknown condition "${rawCondition}": expected service_started, service_healthy or service_completed_successfully`,
      );
    if (condition === 'completed') oneShots.add(svc);
    if (asBool(options.restart) === true)
      warn(
        `${path}.${svc}.restart`,
        `noted but not supported by bootwave: dependents are not restarted when ${svc} restarts`,
      );
    // Compose's schema takes only a real boolean here, not the words it casts elsewhere.
    const required =
      options.required === undefined ? true : typeof options.required === 'boolean' ? options.required : undefined;
    if (required === undefined) error(`${path}.${svc}.required`, notBoolean(options.required));
    return { service: svc, kind: required === false ? 'wants' : 'requires', condition: condition ?? 'started' };
  });
}

/**
 * Gates are never weaker than Compose's: `service_healthy` on a service whose file gives no test waits for the
 * image's HEALTHCHECK (the engine reports its health; a missing one fails the boot, as Compose refuses the
 * dependency), and on a service whose check is disabled it is an error, as in Compose.
 */
export function applyGates(
  gates: { from: string; on: string; condition: string; path: string }[],
  names: Map<string, string>,
  healthOf: Map<string, HealthState>,
  services: Record<string, Record<string, unknown>>,
  error: Report,
): void {
  for (const gate of gates) {
    if (gate.condition !== 'healthy') continue;
    const target = names.get(gate.on) ?? gate.on;
    const service = services[target];
    const health = healthOf.get(target);
    if (!service || !health || service.health !== undefined) continue;
    if (health.kind === 'disabled')
      error(
        `${gate.path}.condition`,
        `service_healthy on "${gate.on}", whose healthcheck is disabled (${health.how}): it can never be healthy (Compose refuses this dependency too)`,
      );
    else if (health.kind === 'image' || health.kind === 'none') {
      const docker = service.docker as Record<string, unknown>;
      docker.healthcheck = { ...health.timing, test: [] };
    }
  }
}
