import type { Report, ServiceEntry } from './service-entry';

/**
 * On any one network, a container's extra name (`docker.aliases`, `docker.networkAliases`) must not be another
 * selected service's name there: other containers would reach either of the two at random, never reliably the
 * service they name. An extra name several services share is allowed: that is how Compose files spread requests
 * over them (DNS round robin).
 */
export function checkAliases(entries: ReadonlyMap<string, ServiceEntry>, report: Report): void {
  const active = [...entries.values()].filter((entry) => entry.active && entry.spec?.docker);
  const joined = (entry: ServiceEntry) => {
    const networks = entry.spec!.docker!.networks ?? [];
    return networks.length === 0 ? ['default'] : networks;
  };
  /** `network name` for every service name on each network it joins. */
  const named = new Set(active.flatMap((entry) => joined(entry).map((network) => `${network} ${entry.name}`)));
  for (const entry of active) {
    const docker = entry.spec!.docker!;
    const extra: { where: string; alias: string; networks: string[] }[] = [
      ...(docker.aliases ?? []).map((alias, i) => ({ where: `aliases[${i}]`, alias, networks: joined(entry) })),
      ...Object.entries(docker.networkAliases ?? {}).flatMap(([network, list]) =>
        list.map((alias, i) => ({ where: `networkAliases.${network}[${i}]`, alias, networks: [network] })),
      ),
    ];
    for (const { where, alias, networks } of extra)
      if (alias !== entry.name && networks.some((network) => named.has(`${network} ${alias}`)))
        report(
          `services.${entry.name}.docker.${where}`,
          `"${alias}" is the name of service "${alias}" on a network both join: other containers there would reach either of them by it`,
        );
  }
}
