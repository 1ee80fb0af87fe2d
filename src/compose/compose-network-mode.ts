import type { PlanDependency } from './compose-depends-on';
import { stringOf, type Doc, type Report } from './compose-values';

/** A service's `network_mode`, as the plan's `docker.networkMode` takes it (`service:` names the Compose service). */
export interface NetworkMode {
  mode: string;
  /** The Compose service whose container's network it shares (`service:<name>`). */
  owner?: string;
  /** Only the engine's bridge publishes ports; host and none discard them. */
  publishesPorts: boolean;
  path: string;
}

/**
 * Reads `network_mode`. As in Compose, it excludes `networks`. Published ports are kept on the engine's `bridge`,
 * refused where the engine refuses them (a shared network), and dropped with a warning in `host` and `none`, where
 * the engine discards them.
 */
export function networkModeOf(raw: Doc, path: string, error: Report, warn: Report): NetworkMode | undefined {
  if (raw.network_mode === undefined) return undefined;
  const at = `${path}.network_mode`;
  const mode = stringOf(raw.network_mode, at, error);
  if (mode === undefined) return undefined;
  const match = /^(host|none|bridge)$|^(service|container):(.+)$/.exec(mode);
  if (!match) {
    error(at, `invalid network mode "${mode}": expected host, none, bridge, service:<name> or container:<name>`);
    return undefined;
  }
  if (raw.networks !== undefined) error(at, 'cannot be combined with networks (Compose: they are mutually exclusive)');
  const hasPorts = Array.isArray(raw.ports) ? raw.ports.length > 0 : raw.ports !== undefined;
  if (hasPorts && mode === 'host')
    warn(`${path}.ports`, 'not published in network_mode "host": the container listens on the host\'s own ports');
  else if (hasPorts && mode === 'none')
    warn(`${path}.ports`, 'not published in network_mode "none": the container has no network');
  else if (hasPorts && match[2] !== undefined)
    error(`${path}.ports`, `cannot be published in network_mode "${mode}" (publish them where the network is)`);
  const owner = match[2] === 'service' ? { owner: match[3]! } : {};
  return { mode, ...owner, publishesPorts: mode === 'bridge', path: at };
}

/**
 * The plan's `networkMode` (its `service:` naming the plan service) and, as Compose adds it, a dependency on the
 * service whose network is shared, unless `depends_on` already says how to wait for it.
 */
export function applyNetworkMode(
  service: Record<string, unknown>,
  planName: string,
  found: NetworkMode,
  names: Map<string, string>,
  items: Map<string, string>,
  error: Report,
): void {
  const docker = service.docker as Record<string, unknown>;
  items.set(`services.${planName}.docker.networkMode`, found.path);
  if (found.owner === undefined) {
    docker.networkMode = found.mode;
    return;
  }
  const owner = names.get(found.owner);
  if (owner === undefined) return error(found.path, `unknown service "${found.owner}"`);
  docker.networkMode = `service:${owner}`;
  const deps = (service.dependsOn as PlanDependency[] | undefined) ?? [];
  if (deps.some((dep) => dep.service === owner)) return;
  items.set(`services.${planName}.dependsOn[${deps.length}]`, found.path);
  service.dependsOn = [...deps, { service: owner, kind: 'requires', condition: 'started' }];
}
