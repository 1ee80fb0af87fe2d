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
 * A network's aliases become the target's `docker.networkAliases` on that network, as in Compose. A link
 * `redis:cache` becomes one of redis's `docker.aliases`, which it has on every network it joins (so every
 * container there reaches redis as cache: a superset of Compose's link) and, as in Compose, a dependency of the
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
  /** The networks a service's container joins; none named is the plan's own (`default`). */
  const networksOf = (docker: Record<string, unknown> | undefined) => {
    const joined = (docker?.networks as string[] | undefined) ?? [];
    return joined.length === 0 ? ['default'] : joined;
  };
  const add = (docker: Record<string, unknown>, planName: string, alias: string, origin: string) => {
    const aliases = (docker.aliases as string[] | undefined) ?? [];
    if (alias === planName || aliases.includes(alias)) return;
    items.set(`services.${planName}.docker.aliases[${aliases.length}]`, origin);
    docker.aliases = [...aliases, alias];
  };
  for (const [planName, entries] of networkAliases) {
    const docker = dockerOf(planName);
    if (!docker) continue;
    const byNetwork: Record<string, string[]> = {};
    for (const entry of entries)
      entry.aliases.forEach((alias, index) => {
        if (alias === planName || byNetwork[entry.network]?.includes(alias)) return;
        const list = (byNetwork[entry.network] ??= []);
        items.set(
          `services.${planName}.docker.networkAliases.${entry.network}[${list.length}]`,
          `${entry.path}[${index}]`,
        );
        list.push(alias);
      });
    if (Object.keys(byNetwork).length > 0) docker.networkAliases = byNetwork;
  }
  // Every name a container answers to, for link aliases that would reach two services on one network.
  const owners = new Map<string, string>();
  for (const [composeName, planName] of names) {
    owners.set(composeName, planName);
    owners.set(planName, planName);
  }
  for (const [planName, service] of Object.entries(services)) {
    const docker = service.docker as Record<string, unknown> | undefined;
    const onNetworks = Object.values((docker?.networkAliases as Record<string, string[]> | undefined) ?? {});
    for (const alias of [...((docker?.aliases as string[] | undefined) ?? []), ...onNetworks.flat()])
      if (!owners.has(alias)) owners.set(alias, planName);
  }
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
        add(docker, target, link.alias, link.path);
        const shared = networksOf(docker).filter((network) => networksOf(dockerOf(from)).includes(network));
        if (shared.length === 0)
          warn(
            link.path,
            `${link.from} shares no network with ${link.service}: the alias ${link.alias} does not reach it from there`,
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
