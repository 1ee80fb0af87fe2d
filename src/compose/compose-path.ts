/**
 * Where in the Compose file a path of the mapped plan document came from, so that a problem the plan loader
 * finds (port 70000, a zero interval) is reported at the key the user wrote (`services.web_1.ports[0]`), not at
 * bootwave's own name for it (`services.web-1.docker.ports[0]`).
 */
export interface ComposeOrigins {
  /** Plan service name → Compose service name (they differ when the name had `_`, `.` or capitals). */
  serviceNames: ReadonlyMap<string, string>;
  /** Exact origins recorded while mapping lists whose items can be dropped (ports, volumes). */
  items: ReadonlyMap<string, string>;
  /** The service's own `x-bootwave` keys: a setting found there is reported there. */
  extensionKeys: (composeService: string) => readonly string[];
  /** Compose dependency names in file order, for `dependsOn[i]`. */
  dependencyNames: (composeService: string) => readonly string[];
}

/** bootwave's docker target keys whose Compose name is not the plain snake_case of the key. */
const dockerKeyNames: Record<string, string> = {
  aliases: 'container_name',
  env: 'environment',
  anonymousVolumes: 'volumes',
  restartMaxAttempts: 'restart',
  stopGrace: 'stop_grace_period',
};

/** Plan service keys derived from Compose keys when the service's `x-bootwave` does not set them. */
const derivedServiceKeys: Record<string, string> = {
  startTimeout: 'healthcheck',
  oneShot: 'restart',
  resources: 'mem_limit',
  dependsOn: 'depends_on',
};

const topLevelKeys: Record<string, string> = { waves: 'x-bootwave.waves', defaults: 'x-bootwave.defaults' };

/** The Compose path of a plan document path; the path itself when it has no Compose counterpart. */
export function composePathOf(planPath: string, origins: ComposeOrigins): string {
  const exact = longestRecordedPrefix(planPath, origins.items);
  if (exact) return exact;
  const match = /^services\.([^.[]+)(.*)$/.exec(planPath);
  if (!match) {
    const [head, ...rest] = planPath.split('.');
    const mapped = topLevelKeys[head ?? ''];
    return mapped ? [mapped, ...rest].join('.') : planPath;
  }
  const [, planName = '', rest = ''] = match;
  const service = origins.serviceNames.get(planName) ?? planName;
  const at = `services.${service}`;
  const docker = /^\.docker\.([A-Za-z]+)(.*)$/.exec(rest);
  if (docker) {
    const [, key = '', tail = ''] = docker;
    return `${at}.${dockerKeyNames[key] ?? snakeCase(key)}${key === 'healthcheck' ? snakeCaseSegments(tail) : tail}`;
  }
  const own = /^\.([A-Za-z]+)(.*)$/.exec(rest);
  if (!own) return `${at}${rest}`;
  const [, key = '', tail = ''] = own;
  if (origins.extensionKeys(service).includes(key)) return `${at}.x-bootwave.${key}${tail}`;
  if (key === 'dependsOn') {
    const index = /^\[(\d+)\](.*)$/.exec(tail);
    const name = index ? origins.dependencyNames(service)[Number(index[1])] : undefined;
    if (name !== undefined) return `${at}.depends_on.${name}${index?.[2] ?? ''}`;
  }
  const derived = derivedServiceKeys[key];
  return derived ? `${at}.${derived}` : `${at}.${key}${tail}`;
}

function longestRecordedPrefix(path: string, items: ReadonlyMap<string, string>): string | undefined {
  for (let end = path.length; end > 0; end--) {
    if (end < path.length && !'.['.includes(path[end]!)) continue;
    const origin = items.get(path.slice(0, end));
    if (origin !== undefined) return origin + path.slice(end);
  }
  return undefined;
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function snakeCaseSegments(tail: string): string {
  return tail.replace(/\.([A-Za-z]+)/g, (_, key: string) => `.${snakeCase(key)}`);
}
