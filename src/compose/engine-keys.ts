import { dockerMemoryBytes } from './docker-memory';

type Doc = Record<string, unknown>;
type Report = (path: string, message: string) => void;
const isMap = (value: unknown): value is Doc => value !== null && typeof value === 'object' && !Array.isArray(value);

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);
const stringMap = (value: unknown, separator: string): Record<string, string> =>
  isMap(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : String(v)]))
    : Object.fromEntries(
        strings(value).map((item) => {
          const at = item.indexOf(separator);
          return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
        }),
      );

/**
 * The Compose keys that map straight onto the Docker API (user, working_dir, capabilities, ulimits, shm_size,
 * security_opt, ...), written into the plan's docker target under bootwave's names. Malformed values are errors.
 */
export function applyEngineKeys(raw: Doc, docker: Doc, path: string, error: Report): void {
  if (raw.user !== undefined) docker.user = String(raw.user);
  if (raw.working_dir !== undefined) docker.workingDir = String(raw.working_dir);
  if (raw.hostname !== undefined) docker.hostname = String(raw.hostname);
  if (raw.stop_signal !== undefined) docker.stopSignal = String(raw.stop_signal);
  if (raw.cap_add !== undefined) docker.capAdd = strings(raw.cap_add);
  if (raw.cap_drop !== undefined) docker.capDrop = strings(raw.cap_drop);
  if (raw.security_opt !== undefined) docker.securityOpt = strings(raw.security_opt);
  if (raw.dns !== undefined) docker.dns = strings(raw.dns);
  for (const key of ['privileged', 'init'] as const) {
    if (raw[key] === undefined) continue;
    const value = boolOf(raw[key]);
    if (value === undefined) error(`${path}.${key}`, `must be true or false, got ${JSON.stringify(raw[key])}`);
    else docker[key] = value;
  }
  if (raw.extra_hosts !== undefined)
    docker.extraHosts = isMap(raw.extra_hosts)
      ? Object.entries(raw.extra_hosts).flatMap(([host, ips]) => strings(ips).map((ip) => `${host}:${ip}`))
      : strings(raw.extra_hosts).map((entry) => entry.replace('=', ':'));
  if (raw.sysctls !== undefined) docker.sysctls = stringMap(raw.sysctls, '=');
  if (raw.tmpfs !== undefined)
    docker.tmpfs = Object.fromEntries(
      strings(raw.tmpfs).map((entry) => {
        const at = entry.indexOf(':');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
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

function boolOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(String(value))) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(String(value))) return false;
  return undefined;
}

/**
 * Service `secrets`/`configs` backed by files: mounted read-only where Compose puts them (`/run/secrets/<name>`
 * for secrets, `/<name>` for configs, or the long syntax's `target`). A secret from an `environment` variable goes
 * to `onEnvironment` when given (a secret reference, read from the worker's environment at start); other sources
 * are errors.
 */
export function fileMounts(
  value: unknown,
  path: string,
  declared: Doc,
  defaultFolder: string,
  ctx: { resolvePath: (path: string) => string; env: Readonly<Record<string, string | undefined>> },
  error: Report,
  onEnvironment?: (variable: string, target: string) => void,
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    error(path, 'must be a list');
    return [];
  }
  const out: string[] = [];
  value.forEach((item, index) => {
    const source = isMap(item) ? String(item.source) : String(item);
    const def = declared[source];
    const at = `${path}[${index}]`;
    if (!isMap(def)) return error(at, `"${source}" is not declared in the top-level ${path.split('.').pop()}`);
    const rawTarget = isMap(item) && typeof item.target === 'string' ? item.target : source;
    const target = rawTarget.startsWith('/') ? rawTarget : `${defaultFolder}${rawTarget}`;
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
