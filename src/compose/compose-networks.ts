import type { PlanDependency } from './compose-depends-on';
import { isMap, shown, stringList, type Report } from './compose-values';

/** The aliases a service's `networks` entry gives it on that network. */
export type NetworkAliases = { network: string; aliases: string[]; path: string };
/** A `links` entry: `service` or `service:alias`, written in the service `from`. */
export type Link = { from: string; service: string; alias?: string; path: string };

/** What a service's network entry may say (Compose's schema); `x-` keys are the user's own. */
const networkEntryKeys = [
  'aliases',
  'interface_name',
  'ipv4_address',
  'ipv6_address',
  'link_local_ips',
  'mac_address',
  'driver_opts',
  'priority',
  'gw_priority',
];

/** A service's `networks` (list or mapping): the names it joins, in order, and the aliases it has on each. */
export function serviceNetworks(
  value: unknown,
  path: string,
  error: Report,
  warn: Report,
): { names: string[]; aliases: NetworkAliases[] } {
  if (Array.isArray(value)) return { names: stringList(value, path, error) ?? [], aliases: [] };
  if (!isMap(value)) {
    error(path, `must be a list of network names or a mapping, got ${shown(value)}`);
    return { names: [], aliases: [] };
  }
  const aliases: NetworkAliases[] = [];
  for (const [net, opts] of Object.entries(value)) {
    const at = `${path}.${net}`;
    if (opts === null || opts === undefined) continue;
    if (!isMap(opts)) {
      error(at, `must be a mapping or null, got ${shown(opts)}`);
      continue;
    }
    for (const key of Object.keys(opts)) {
      if (key.startsWith('x-')) continue;
      if (!networkEntryKeys.includes(key))
        error(`${at}.${key}`, `unknown key (expected ${networkEntryKeys.join(', ')})`);
      else if (key !== 'aliases') warn(`${at}.${key}`, 'ignored: containers are reached by service name');
    }
    if (opts.aliases !== undefined) {
      const list = stringList(opts.aliases, `${at}.aliases`, error);
      if (list && list.length > 0) aliases.push({ network: net, aliases: list, path: `${at}.aliases` });
    }
  }
  return { names: Object.keys(value), aliases };
}

/** A service's `links`: `service` or `service:alias`; a link to no service of the file is an error. */
export function serviceLinks(value: unknown, path: string, from: string, error: Report): Link[] {
  const list = stringList(value, path, error) ?? [];
  const out: Link[] = [];
  list.forEach((entry, index) => {
    const at = `${path}[${index}]`;
    const parts = entry.split(':');
    if (parts.length > 2 || parts.some((part) => part === ''))
      return error(at, `invalid link "${entry}": expected SERVICE or SERVICE:ALIAS`);
    const [service, alias] = parts as [string, string?];
    out.push({ from, service, ...(alias === undefined || alias === service ? {} : { alias }), path: at });
  });
  return out;
}

/**
 * Network aliases and link aliases become the target's `docker.aliases`, which the engine gives the container on
 * its first network: the network the file gives aliases on is moved first (a service naming aliases on several
 * networks has them all there, with a warning). A link `redis:cache` is an alias of redis (there, every container
 * of that network reaches redis as cache, a superset of Compose's link) and, as in Compose, a dependency of the
 * linking service on redis unless its `depends_on` names redis.
 */
export function applyAliases(
  services: Record<string, Record<string, unknown>>,
  names: Map<string, string>,
  networkAliases: Map<string, NetworkAliases[]>,
  links: Link[],
  items: Map<string, string>,
  error: Report,
  warn: Report,
): void {
  const dockerOf = (planName: string) => services[planName]?.docker as Record<string, unknown> | undefined;
  const add = (docker: Record<string, unknown>, planName: string, alias: string) => {
    const aliases = (docker.aliases as string[] | undefined) ?? [];
    if (alias !== planName && !aliases.includes(alias)) docker.aliases = [...aliases, alias];
  };
  for (const [planName, entries] of networkAliases) {
    const docker = dockerOf(planName);
    if (!docker) continue;
    const first = entries[0]!.network;
    const joined = (docker.networks as string[] | undefined) ?? [];
    docker.networks = [first, ...joined.filter((net) => net !== first)];
    for (const entry of entries) {
      if (entry.network !== first)
        warn(
          entry.path,
          `applied on network "${first}": bootwave gives a service's extra names on one network, the first with aliases`,
        );
      for (const alias of entry.aliases) add(docker, planName, alias);
    }
  }
  // Every name a container answers to, for link aliases that would reach two services on one network.
  const owners = new Map<string, string>();
  for (const [composeName, planName] of names) {
    owners.set(composeName, planName);
    owners.set(planName, planName);
  }
  for (const [planName, service] of Object.entries(services))
    for (const alias of ((service.docker as Record<string, unknown> | undefined)?.aliases as string[] | undefined) ??
      [])
      if (!owners.has(alias)) owners.set(alias, planName);
  const linked = new Map<string, Set<string>>();
  for (const link of links) {
    const target = names.get(link.service);
    const from = names.get(link.from) ?? link.from;
    if (target === undefined || !services[target]) {
      error(link.path, `unknown service "${link.service}"`);
      continue;
    }
    const docker = dockerOf(target);
    if (docker && link.alias !== undefined) {
      const owner = owners.get(link.alias);
      if (owner !== undefined && owner !== target)
        error(
          link.path,
          `alias "${link.alias}" is already a name of service "${owner}": bootwave gives link aliases on the network, where it would reach both (choose another alias)`,
        );
      else {
        owners.set(link.alias, target);
        add(docker, target, link.alias);
        const network = ((docker.networks as string[] | undefined) ?? [])[0] ?? 'default';
        const fromNetworks = (dockerOf(from)?.networks as string[] | undefined) ?? ['default'];
        if (!fromNetworks.includes(network))
          warn(
            link.path,
            `the alias ${link.alias} is given to ${link.service} on network "${network}", which ${link.from} does not join`,
          );
      }
    }
    (linked.get(from) ?? linked.set(from, new Set()).get(from)!).add(link.service);
  }
  // The dependency Compose adds for a link, unless `depends_on` says how to wait for that service.
  for (const [from, targets] of linked) {
    const service = services[from];
    if (!service) continue;
    const deps = (service.dependsOn as { service: string }[] | undefined) ?? [];
    for (const composeTarget of targets) {
      const target = names.get(composeTarget) ?? composeTarget;
      if (deps.some((dep) => dep.service === target)) continue;
      const link = links.find((l) => (names.get(l.from) ?? l.from) === from && l.service === composeTarget)!;
      items.set(`services.${from}.dependsOn[${deps.length}]`, link.path);
      deps.push({ service: target, kind: 'requires', condition: 'started' } as PlanDependency);
    }
    if (deps.length > 0) service.dependsOn = deps;
  }
}
