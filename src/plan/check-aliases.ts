import type { Report, ServiceEntry } from './service-entry';

/**
 * On any one network, a container's extra name (`docker.aliases`, `docker.networkAliases`) must not be another
 * selected service's name or extra name there: other containers would reach either of the two at random.
 */
export function checkAliases(entries: ReadonlyMap<string, ServiceEntry>, report: Report): void {
  const active = [...entries.values()].filter((entry) => entry.active && entry.spec?.docker);
  const joined = (entry: ServiceEntry) => {
    const networks = entry.spec!.docker!.networks ?? [];
    return networks.length === 0 ? ['default'] : networks;
  };
  /** `network name` → the service that answers to it there. */
  const owners = new Map<string, string>();
  for (const entry of active) for (const network of joined(entry)) owners.set(`${network} ${entry.name}`, entry.name);
  for (const entry of active) {
    const docker = entry.spec!.docker!;
    const named: { where: string; alias: string; networks: string[] }[] = [
      ...(docker.aliases ?? []).map((alias, i) => ({ where: `aliases[${i}]`, alias, networks: joined(entry) })),
      ...Object.entries(docker.networkAliases ?? {}).flatMap(([network, list]) =>
        list.map((alias, i) => ({ where: `networkAliases.${network}[${i}]`, alias, networks: [network] })),
      ),
    ];
    for (const { where, alias, networks } of named) {
      const clash = networks.map((network) => owners.get(`${network} ${alias}`)).find((o) => o && o !== entry.name);
      if (clash === undefined) {
        for (const network of networks) owners.set(`${network} ${alias}`, entry.name);
        continue;
      }
      const whose = clash === alias ? `the name of service "${alias}"` : `already a name of service "${clash}"`;
      report(
        `services.${entry.name}.docker.${where}`,
        `"${alias}" is ${whose} on a network both join: other containers there would reach either of them by it`,
      );
    }
  }
}
