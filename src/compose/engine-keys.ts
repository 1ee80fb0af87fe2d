import {
  asBool,
  isMap,
  listOrDict,
  notBoolean,
  shown,
  stringList,
  stringOf,
  type Doc,
  type Report,
} from './compose-values';
import { dockerMemoryBytes } from './docker-memory';

/**
 * The Compose keys that map straight onto the Docker API (user, working_dir, capabilities, ulimits, shm_size,
 * security_opt, ...), written into the plan's docker target under bootwave's names. Malformed values are errors.
 */
export function applyEngineKeys(raw: Doc, docker: Doc, path: string, error: Report): void {
  for (const [key, name] of [
    ['user', 'user'],
    ['working_dir', 'workingDir'],
    ['hostname', 'hostname'],
    ['stop_signal', 'stopSignal'],
  ] as const) {
    if (raw[key] === undefined) continue;
    const text = stringOf(raw[key], `${path}.${key}`, error);
    if (text !== undefined) docker[name] = text;
  }
  for (const [key, name, orString] of [
    ['cap_add', 'capAdd', false],
    ['cap_drop', 'capDrop', false],
    ['security_opt', 'securityOpt', false],
    ['dns', 'dns', true],
  ] as const) {
    if (raw[key] === undefined) continue;
    const list = stringList(raw[key], `${path}.${key}`, error, orString);
    if (list) docker[name] = list;
  }
  for (const [key, name] of [
    ['privileged', 'privileged'],
    ['init', 'init'],
    ['read_only', 'readOnly'],
  ] as const) {
    if (raw[key] === undefined) continue;
    const value = asBool(raw[key]);
    if (value === undefined) error(`${path}.${key}`, notBoolean(raw[key]));
    // A writable root filesystem is the engine's default: Compose drops `read_only: false` too.
    else if (value || key !== 'read_only') docker[name] = value;
  }
  if (raw.group_add !== undefined) {
    // Group names or numeric IDs, as the Compose schema allows.
    const at = `${path}.group_add`;
    if (!Array.isArray(raw.group_add)) error(at, `must be a list of group names or IDs, got ${shown(raw.group_add)}`);
    else {
      const bad = raw.group_add.findIndex((group) => typeof group !== 'string' && typeof group !== 'number');
      if (bad >= 0) error(`${at}[${bad}]`, `must be a group name or ID, got ${shown(raw.group_add[bad])}`);
      else docker.groupAdd = raw.group_add.map(String);
    }
  }
  if (raw.extra_hosts !== undefined) {
    const at = `${path}.extra_hosts`;
    if (isMap(raw.extra_hosts)) {
      // `host: ip` or `host: [ip, ip]`: one entry per address.
      const hosts: string[] = [];
      for (const [host, ips] of Object.entries(raw.extra_hosts))
        for (const ip of stringList(ips, `${at}.${host}`, error, true) ?? []) hosts.push(`${host}:${ip}`);
      docker.extraHosts = hosts;
    } else {
      const list = stringList(raw.extra_hosts, at, error);
      if (list) docker.extraHosts = list.map((entry) => entry.replace('=', ':'));
    }
  }
  if (raw.sysctls !== undefined) docker.sysctls = listOrDict(raw.sysctls, `${path}.sysctls`, error);
  if (raw.tmpfs !== undefined) {
    const list = stringList(raw.tmpfs, `${path}.tmpfs`, error, true);
    if (list)
      docker.tmpfs = Object.fromEntries(
        list.map((entry) => {
          const at = entry.indexOf(':');
          return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
        }),
      );
  }
  if (raw.shm_size !== undefined) {
    const bytes = dockerMemoryBytes(raw.shm_size);
    if (bytes === undefined)
      error(`${path}.shm_size`, `invalid size ${JSON.stringify(raw.shm_size)}: expected e.g. 64m, 1g or bytes`);
    else docker.shmSize = bytes;
  }
  if (raw.ulimits !== undefined) {
    if (!isMap(raw.ulimits)) return error(`${path}.ulimits`, 'must be a mapping of limit names');
    const limits: { name: string; soft: number; hard: number }[] = [];
    for (const [name, value] of Object.entries(raw.ulimits)) {
      const soft = Number(isMap(value) ? value.soft : value);
      const hard = Number(isMap(value) ? value.hard : value);
      if (!Number.isInteger(soft) || !Number.isInteger(hard))
        error(`${path}.ulimits.${name}`, `must be a number or { soft, hard } numbers, got ${JSON.stringify(value)}`);
      else if (soft > hard) error(`${path}.ulimits.${name}`, `soft limit ${soft} is above the hard limit ${hard}`);
      else limits.push({ name, soft, hard });
    }
    docker.ulimits = limits;
  }
}

/** What a long-syntax secret or config may say (Compose's schema); `x-` keys are the user's own. */
const fileMountKeys = ['source', 'target', 'uid', 'gid', 'mode'];

/**
 * Service `secrets`/`configs` backed by files: mounted read-only where Compose puts them (`/run/secrets/<name>`
 * for secrets, `/<name>` for configs, or the long syntax's `target`). A secret from an `environment` variable goes
 * to `onEnvironment` when given (a secret reference, read from the worker's environment at start); other sources
 * are errors. Unknown long-syntax keys are errors; `uid`, `gid` and `mode` are warned about: the file is mounted as
 * it is.
 */
export function fileMounts(
  value: unknown,
  path: string,
  declared: Doc,
  defaultFolder: string,
  ctx: { resolvePath: (path: string) => string; env: Readonly<Record<string, string | undefined>> },
  error: Report,
  warn: Report,
  onEnvironment?: (variable: string, target: string) => void,
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    error(path, 'must be a list');
    return [];
  }
  const kind = path.split('.').pop();
  const out: string[] = [];
  value.forEach((item, index) => {
    const at = `${path}[${index}]`;
    if (!isMap(item) && typeof item !== 'string')
      return error(at, `must be a name or a mapping with source and target, got ${shown(item)}`);
    let rawTarget: string | undefined;
    if (isMap(item)) {
      let bad = false;
      for (const key of Object.keys(item)) {
        if (key.startsWith('x-')) continue;
        if (!fileMountKeys.includes(key)) {
          error(`${at}.${key}`, `unknown key (expected ${fileMountKeys.join(', ')})`);
          bad = true;
        } else if (key === 'uid' || key === 'gid' || key === 'mode')
          warn(
            `${at}.${key}`,
            'ignored: bootwave mounts the file read-only with the owner and mode it has (set them on the file)',
          );
      }
      if (item.source === undefined)
        return error(`${at}.source`, `is required (the name of one of the top-level ${kind})`);
      if (typeof item.source !== 'string') return error(`${at}.source`, `must be a string, got ${shown(item.source)}`);
      if (item.target !== undefined && typeof item.target !== 'string')
        return error(`${at}.target`, `must be a string, got ${shown(item.target)}`);
      if (bad) return;
      rawTarget = item.target;
    }
    const source = isMap(item) ? (item.source as string) : item;
    const def = declared[source];
    if (!isMap(def)) return error(at, `"${source}" is not declared in the top-level ${kind}`);
    const written = rawTarget ?? source;
    const target = written.startsWith('/') ? written : `${defaultFolder}${written}`;
    if (onEnvironment && typeof def.environment === 'string') return onEnvironment(def.environment, target);
    if (typeof def.file !== 'string')
      return error(
        at,
        `"${source}" is not file-based: bootwave mounts secrets and configs from files (and secrets from an environment variable) only`,
      );
    out.push(`${ctx.resolvePath(def.file)}:${target}:ro`);
  });
  return out;
}
