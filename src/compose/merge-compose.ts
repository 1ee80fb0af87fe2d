import { overrideKey } from './merge-tags';
import { isMap, type Doc } from './compose-values';

/** Keys whose lists become mappings before merging (`KEY=value`, `name`), so an override replaces one entry. */
const mappingLists: Record<string, (item: unknown) => [string, unknown]> = {
  environment: (item) => splitAt(String(item), '='),
  labels: (item) => splitAt(String(item), '='),
  annotations: (item) => splitAt(String(item), '='),
  sysctls: (item) => splitAt(String(item), '='),
  extra_hosts: (item) => splitAt(String(item), /[:=]/),
  depends_on: (item) => [String(item), { condition: 'service_started' }],
  networks: (item) => [String(item), null],
};
/** Lists whose entries are unique by a key (an override replaces the entry with the same key). */
const keyedLists: Record<string, (item: unknown) => string> = {
  volumes: (item) => (isMap(item) ? String(item.target) : (String(item).split(':')[1] ?? String(item))),
  secrets: (item) => (isMap(item) ? String(item.target ?? item.source) : String(item)),
  configs: (item) => (isMap(item) ? String(item.target ?? item.source) : String(item)),
  ports: (item) => JSON.stringify(item),
};
/** Lists appended to, without duplicates. */
const appendedLists = new Set([
  'cap_add',
  'cap_drop',
  'dns',
  'dns_search',
  'dns_opt',
  'security_opt',
  'expose',
  'external_links',
  'links',
  'tmpfs',
  'devices',
  'env_file',
  'profiles',
  'device_cgroup_rules',
  'group_add',
]);

function splitAt(text: string, separator: string | RegExp): [string, unknown] {
  const at = typeof separator === 'string' ? text.indexOf(separator) : text.search(separator);
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
}

function asMapping(key: string, value: unknown): Doc | undefined {
  if (isMap(value)) return value;
  const entry = mappingLists[key];
  if (entry && Array.isArray(value)) return Object.fromEntries(value.map(entry));
  return undefined;
}

/** A recursive merge of two mappings: the override's scalars and lists (e.g. `healthcheck.test`) replace. */
function deepMerge(base: Doc, override: Doc): Doc {
  const out: Doc = { ...base };
  for (const [key, value] of Object.entries(override))
    overrideKey(out, key, value, (current, next) => (isMap(current) && isMap(next) ? deepMerge(current, next) : next));
  return out;
}

/**
 * One service of a base file overridden by another, as `docker compose -f base.yml -f override.yml` and `extends`
 * merge them (the Compose Specification's merge rules): mappings merge, `command`/`entrypoint`/`healthcheck.test`
 * are replaced, `environment`/`labels`/`depends_on`/`networks` merge by name whichever form each file uses,
 * `ports`/`volumes`/`secrets`/`configs` merge by their key, option lists (`cap_add`, `dns`, ...) are appended.
 */
export function mergeService(base: Doc, override: Doc): Doc {
  const out: Doc = { ...base };
  for (const [rawKey, value] of Object.entries(override)) overrideKey(out, rawKey, value, mergeServiceKey);
  return out;
}

function mergeServiceKey(current: unknown, value: unknown, key: string): unknown {
  if (value === null) return value;
  const baseMap = asMapping(key, current);
  const overrideMap = asMapping(key, value);
  if (key in mappingLists && baseMap && overrideMap) return deepMerge(baseMap, overrideMap);
  const keyOf = keyedLists[key];
  if (keyOf && Array.isArray(current) && Array.isArray(value)) {
    const merged = new Map<string, unknown>(current.map((item) => [keyOf(item), item]));
    for (const item of value) merged.set(keyOf(item), item);
    return [...merged.values()];
  }
  if (appendedLists.has(key) && Array.isArray(current) && Array.isArray(value))
    return [...new Set([...current, ...value].map((item) => JSON.stringify(item)))].map(
      (item) => JSON.parse(item) as unknown,
    );
  if (isMap(current) && isMap(value)) return deepMerge(current, value);
  return value;
}

/** Two Compose files merged as `-f base -f override`: services by `mergeService`, other sections as mappings. */
export function mergeComposeFiles(base: unknown, override: unknown): unknown {
  if (!isMap(base) || !isMap(override)) return isMap(override) ? override : base;
  const out: Doc = { ...base };
  for (const [rawKey, value] of Object.entries(override))
    overrideKey(out, rawKey, value, (current, next, key) => {
      if (key !== 'services' || !isMap(current) || !isMap(next))
        return isMap(current) && isMap(next) ? deepMerge(current, next) : next;
      const services: Doc = { ...current };
      for (const [name, service] of Object.entries(next))
        overrideKey(services, name, service, (was, now) => (isMap(was) && isMap(now) ? mergeService(was, now) : now));
      return services;
    });
  return out;
}
