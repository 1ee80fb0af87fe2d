import type { Dependency } from './types';
import type { Report, ServiceEntry } from './service-entry';

/**
 * A container with `docker.networkMode` uses another network stack instead of the plan's networks, so what only a
 * network of its own gives is refused (the engine would refuse it at start, mid-boot). `service:<name>` joins that
 * service's container, which must exist first: the service must name it in `dependsOn`.
 */
export function checkNetworkModes(
  entries: ReadonlyMap<string, ServiceEntry>,
  dependencies: ReadonlyMap<string, Dependency[]>,
  report: Report,
  /** ` (did you mean "x"?)` for an unknown service name, or nothing: `didYouMean`, within the load's budget. */
  suggestService: (name: string) => string,
): void {
  /** What is wrong with sharing the network of service `owner`, if anything. */
  const ownerProblem = (name: string, owner: string): string | undefined => {
    const found = entries.get(owner);
    if (owner === name) return 'a container cannot share its own network';
    if (!found) return `unknown service "${owner}"${suggestService(owner)}`;
    if (found.spec && !found.spec.docker) return `service "${owner}" is not a container`;
    if (!(dependencies.get(name) ?? []).some((dependency) => dependency.service === owner))
      return `add "${owner}" to dependsOn: the container joins ${owner}'s network, which must be started first`;
    return undefined;
  };
  for (const entry of entries.values()) {
    const docker = entry.spec?.docker;
    const mode = docker?.networkMode;
    if (!entry.active || !docker || mode === undefined) continue;
    const at = `services.${entry.name}.docker`;
    const shares = mode.startsWith('service:') || mode.startsWith('container:');
    if (docker.networks?.length)
      report(`${at}.networks`, `cannot be combined with networkMode "${mode}": the container joins no network`);
    if (docker.aliases?.length || Object.keys(docker.networkAliases ?? {}).length > 0)
      report(
        `${at}.${docker.aliases?.length ? 'aliases' : 'networkAliases'}`,
        `cannot be combined with networkMode "${mode}": the container has no name on a network`,
      );
    if (docker.ports?.length && mode !== 'bridge')
      report(
        `${at}.ports`,
        mode === 'host'
          ? 'not published in networkMode "host": the container listens on the host\'s own ports (remove them)'
          : shares
            ? `cannot be published in networkMode "${mode}": publish them from the container whose network it shares`
            : `not published in networkMode "${mode}": the container has no network (remove them)`,
      );
    if (shares)
      for (const key of ['hostname', 'dns', 'extraHosts'] as const)
        if (docker[key] !== undefined)
          report(`${at}.${key}`, `cannot be combined with networkMode "${mode}": it belongs to the shared network`);
    const owner = mode.startsWith('service:') ? mode.slice('service:'.length) : undefined;
    const problem = owner === undefined ? undefined : ownerProblem(entry.name, owner);
    if (problem) report(`${at}.networkMode`, problem);
  }
}
