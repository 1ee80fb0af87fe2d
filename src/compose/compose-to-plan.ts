import type { PlanIssue } from '../plan/plan-issue';
import type { BootOptions } from '../plan/boot-input';
import { mappedServiceKeys, mappedTopLevelKeys, unsupportedServiceKeys } from './compose-keys';
import { defaultStartTimeoutMs } from '../plan/defaults';
import { parseDuration } from '../plan/duration';
import { applyEngineKeys, fileMounts } from './engine-keys';
import { dockerMemoryBytes } from './docker-memory';
import { splitCommand } from './split-command';
import type { ComposeOrigins } from './compose-path';

export { dockerMemoryBytes } from './docker-memory';

/** Where the Compose file lives and what the environment holds; paths stay here, the mapping does no IO. */
export interface ComposeContext {
  file: string;
  /** Project name when the file names none: Compose uses the folder's name. */
  defaultName: string;
  /** `COMPOSE_PROJECT_NAME`: wins over the file's `name`, as in Compose. */
  projectName?: string;
  /** Makes a relative bind-mount source absolute (against the Compose file's folder). */
  resolvePath: (path: string) => string;
  /** Variables for bare `environment: [KEY]` entries (the environment and `.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Reads an `env_file`; undefined when it does not exist. */
  readEnvFile: (path: string) => Record<string, string> | undefined;
}

export interface ComposeMapping {
  /** The plan document (the format users write), before the plan loader validates it. */
  doc: { name: string; waves?: unknown; defaults?: unknown; services: Record<string, Record<string, unknown>> };
  /** Boot options from the top-level `x-bootwave` (strategy, onFailure). */
  bootOptions: Partial<BootOptions>;
  errors: PlanIssue[];
  warnings: PlanIssue[];
  /** Where each part of `doc` came from in the Compose file, for the plan loader's messages. */
  origins: ComposeOrigins;
}

/** Compose's defaults for healthcheck timing (docs: interval 30s, timeout 30s, retries 3, start_interval 5s). */
export const composeHealthDefaults = {
  interval: '30s',
  timeout: '30s',
  retries: 3,
  startPeriod: '0s',
  startInterval: '5s',
} as const;

/** Compose leaves the stop timeout to Docker: 10 s. */
const composeStopGrace = '10s';

const conditions: Record<string, string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

type Doc = Record<string, unknown>;
const isMap = (value: unknown): value is Doc => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Maps an interpolated Compose document onto the plan document format; reports what it cannot map. */
export function composeToPlan(compose: unknown, ctx: ComposeContext): ComposeMapping {
  const errors: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  const error = (path: string, message: string) => void errors.push({ file: ctx.file, path, message });
  const warn = (path: string, message: string) => void warnings.push({ file: ctx.file, path, message });
  const name = projectName(
    ctx.projectName ?? (isMap(compose) && typeof compose.name === 'string' ? compose.name : ctx.defaultName),
  );
  const doc: ComposeMapping['doc'] = { name, services: {} };
  const bootOptions: Partial<BootOptions> = {};
  const serviceNamesOfPlan = new Map<string, string>();
  const items = new Map<string, string>();
  const rawService = (svc: string): Doc => {
    const raw = isMap(compose) && isMap(compose.services) ? compose.services[svc] : undefined;
    return isMap(raw) ? raw : {};
  };
  const origins: ComposeOrigins = {
    serviceNames: serviceNamesOfPlan,
    items,
    extensionKeys: (svc) => {
      const extra = rawService(svc)['x-bootwave'];
      return isMap(extra) ? Object.keys(extra) : [];
    },
    dependencyNames: (svc) => {
      const deps = rawService(svc).depends_on;
      return Array.isArray(deps) ? deps.map(String) : isMap(deps) ? Object.keys(deps) : [];
    },
  };
  if (!isMap(compose) || !isMap(compose.services)) {
    error('services', 'a Compose file needs a "services" mapping');
    return { doc, bootOptions, errors, warnings, origins };
  }
  for (const key of Object.keys(compose)) {
    if (key.startsWith('x-') || mappedTopLevelKeys.has(key)) continue;
    error(key, `not supported by bootwave`);
  }
  if (compose.version !== undefined) warn('version', 'ignored: the Compose file format version is obsolete');
  const volumes = isMap(compose.volumes) ? compose.volumes : {};
  const networks = isMap(compose.networks) ? compose.networks : {};
  for (const [net, def] of Object.entries(networks)) {
    if (isMap(def) && def.external)
      error(`networks.${net}.external`, 'not supported by bootwave (networks are created per plan)');
    else if (isMap(def))
      for (const key of Object.keys(def))
        if (key !== 'name') warn(`networks.${net}.${key}`, 'ignored: plan networks are plain bridge networks');
  }

  const extension = compose['x-bootwave'];
  if (isMap(extension)) {
    for (const [key, value] of Object.entries(extension)) {
      if (key === 'strategy') bootOptions.strategy = value as BootOptions['strategy'];
      else if (key === 'onFailure') bootOptions.onFailure = value as BootOptions['onFailure'];
      else if (key === 'waves') doc.waves = value;
      else if (key === 'defaults') doc.defaults = value;
      else error(`x-bootwave.${key}`, 'unknown bootwave setting (expected strategy, onFailure, waves, defaults)');
    }
    if (bootOptions.strategy !== undefined && !['waves', 'dag'].includes(bootOptions.strategy))
      error('x-bootwave.strategy', 'must be "waves" or "dag"');
    if (bootOptions.onFailure !== undefined && !['rollback', 'halt', 'continue'].includes(bootOptions.onFailure))
      error('x-bootwave.onFailure', 'must be "rollback", "halt" or "continue"');
  }

  const oneShots = new Set<string>();
  const names = serviceNames(Object.keys(compose.services), error);
  const healthOf = new Map<string, HealthState>();
  const gates: { from: string; on: string; condition: string; path: string }[] = [];
  const secrets = isMap(compose.secrets) ? compose.secrets : {};
  const configs = isMap(compose.configs) ? compose.configs : {};
  for (const [svcName, raw] of Object.entries(compose.services)) {
    const path = `services.${svcName}`;
    const planName = names.get(svcName) ?? svcName;
    serviceNamesOfPlan.set(planName, svcName);
    const planPath = `services.${planName}.docker`;
    if (!isMap(raw)) {
      error(path, 'must be a mapping');
      // A placeholder keeps its dependents' references resolvable: their own problems are still reported.
      doc.services[planName] = {};
      continue;
    }
    const service: Record<string, unknown> = {};
    const docker: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) {
      if (key.startsWith('x-') && key !== 'x-bootwave') continue;
      if (mappedServiceKeys.has(key)) continue;
      const known = unsupportedServiceKeys[key];
      if (known?.severity === 'warning') warn(`${path}.${key}`, known.reason);
      else if (known && !(key === 'build' && typeof raw.image === 'string')) {
        error(`${path}.${key}`, known.reason);
        // Without an image, the missing image is this same problem.
        if (key === 'build') items.set(`${planPath}.image`, `${path}.build`);
      } else if (known) warn(`${path}.${key}`, `${known.reason}; using image ${String(raw.image)}`);
      else error(`${path}.${key}`, 'not supported by bootwave');
    }
    const aliases = planName === svcName ? [] : [svcName];
    if (raw.container_name !== undefined) {
      aliases.push(String(raw.container_name));
      warn(
        `${path}.container_name`,
        `applied as a network alias: other containers reach it as ${String(raw.container_name)}; the container itself is named bootwave-${name}-${planName}`,
      );
    }
    if (aliases.length > 0) docker.aliases = aliases;
    applyEngineKeys(raw, docker, path, error);
    if (typeof raw.image === 'string') docker.image = raw.image;
    else if (raw.build === undefined) error(`${path}.image`, 'is required (bootwave runs existing images)');
    if (raw.command !== undefined) docker.command = argv(raw.command);
    if (raw.entrypoint !== undefined) docker.entrypoint = argv(raw.entrypoint);

    const env: Record<string, string> = {};
    for (const file of envFiles(raw.env_file)) {
      const values = ctx.readEnvFile(file.path);
      if (values) Object.assign(env, values);
      else if (file.required) error(`${path}.env_file`, `env file ${file.path} not found`);
    }
    Object.assign(env, environment(raw.environment, ctx.env));
    if (Object.keys(env).length > 0) docker.env = env;

    const recordItem = (list: string) => (index: number, origin: string) =>
      void items.set(`${planPath}.${list}[${index}]`, origin);
    if (raw.ports !== undefined) docker.ports = ports(raw.ports, `${path}.ports`, error, warn, recordItem('ports'));
    const anonymous: string[] = [];
    // `environment:` secrets: read from the worker's environment when the container starts, never written to a plan.
    const envSecrets: { source: { env: string }; target: string }[] = [];
    const binds = [
      ...(raw.volumes === undefined
        ? []
        : mounts(raw.volumes, `${path}.volumes`, name, volumes, ctx, error, anonymous, recordItem('volumes'))),
      ...fileMounts(raw.secrets, `${path}.secrets`, secrets, '/run/secrets/', ctx, error, (variable, target) =>
        envSecrets.push({ source: { env: variable }, target }),
      ),
      ...fileMounts(raw.configs, `${path}.configs`, configs, '/', ctx, error),
    ];
    if (binds.length > 0) docker.volumes = binds;
    if (envSecrets.length > 0) docker.secrets = envSecrets;
    if (anonymous.length > 0) docker.anonymousVolumes = anonymous;
    if (raw.networks !== undefined)
      docker.networks = Array.isArray(raw.networks)
        ? raw.networks.map(String)
        : Object.keys(isMap(raw.networks) ? raw.networks : {});
    if (isMap(raw.networks)) {
      for (const [net, opts] of Object.entries(raw.networks)) {
        if (isMap(opts))
          for (const key of Object.keys(opts))
            warn(`${path}.networks.${net}.${key}`, 'ignored: containers are reached by service name');
      }
    }
    for (const net of (docker.networks as string[] | undefined) ?? []) {
      if (net !== 'default' && !(net in networks))
        error(`${path}.networks`, `network "${net}" is not declared in the top-level networks`);
    }
    if (raw.labels !== undefined)
      docker.labels = Array.isArray(raw.labels)
        ? Object.fromEntries(raw.labels.map((l) => splitPair(String(l))))
        : stringMap(raw.labels);
    if (raw.restart !== undefined) {
      const match = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(
        String(raw.restart).replace(/^"no"$/, 'no'),
      );
      if (!match)
        error(
          `${path}.restart`,
          `invalid restart policy "${String(raw.restart)}": expected no, always, on-failure[:N] or unless-stopped`,
        );
      else {
        docker.restart = match[1];
        if (match[2] !== undefined) docker.restartMaxAttempts = Number(match[2]);
      }
    }
    // Docker's 10 s when the file gives none, as Compose stops it (bootwave's own plans default to 5 s).
    docker.stopGrace = goDuration(raw.stop_grace_period ?? composeStopGrace);
    const health = healthcheckOf(raw.healthcheck, `${path}.healthcheck`, error);
    healthOf.set(planName, health);
    if (health.kind === 'test') docker.healthcheck = health.spec;
    service.docker = docker;

    const memory = memoryOf(raw, path, error, warn);
    if (memory !== undefined) service.resources = { memory };
    if (raw.profiles !== undefined) service.profiles = raw.profiles;
    if (raw.depends_on !== undefined) {
      const deps = dependsOn(raw.depends_on, `${path}.depends_on`, oneShots, error, warn);
      for (const dep of deps) {
        gates.push({
          from: planName,
          on: dep.service,
          condition: dep.condition,
          path: `${path}.depends_on.${dep.service}`,
        });
        dep.service = names.get(dep.service) ?? dep.service;
      }
      service.dependsOn = deps;
    }

    const extra = raw['x-bootwave'];
    if (isMap(extra)) {
      for (const [key, value] of Object.entries(extra)) {
        if (['wave', 'critical', 'expectedStart', 'health', 'startTimeout', 'oneShot'].includes(key))
          service[key] = value;
        else
          error(
            `${path}.x-bootwave.${key}`,
            'unknown bootwave setting (expected wave, critical, expectedStart, health, startTimeout, oneShot)',
          );
      }
    }
    doc.services[planName] = service;
  }
  // A dependency others wait on to complete successfully is a one-shot (a migration): it must exit 0.
  for (const svc of oneShots) {
    const target = doc.services[names.get(svc) ?? svc];
    if (target && target.oneShot === undefined) target.oneShot = true;
  }
  applyGates(gates, names, healthOf, doc.services, error);
  const healthGated = new Set(gates.filter((g) => g.condition === 'healthy').map((g) => g.on));
  for (const [svcName, raw] of Object.entries(compose.services)) {
    const planName = names.get(svcName) ?? svcName;
    const service = doc.services[planName];
    if (!service || !isMap(raw)) continue;
    const waitedHealthy = healthGated.has(svcName);
    if (service.oneShot === undefined && !waitedHealthy && looksLikeOneShot(raw)) {
      service.oneShot = true;
      warn(
        `services.${svcName}.restart`,
        `treated as a one-shot that must exit 0: restart "${String(raw.restart)}" without a healthcheck or published ports (set x-bootwave.oneShot: false if it runs until stopped)`,
      );
    }
    derivedStartTimeout(service, healthOf.get(planName));
  }
  return { doc, bootOptions, errors, warnings, origins };
}

/** The plan name of every Compose service: lowercase, `_` and `.` → `-`; two Compose names on one plan name are an error. */
function serviceNames(composeNames: string[], error: Report): Map<string, string> {
  const names = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const composeName of composeNames) {
    if (!/^[a-zA-Z0-9._-]+$/.test(composeName)) {
      error(
        `services.${composeName}`,
        `invalid service name "${composeName}": Compose allows letters, digits, ".", "_" and "-"`,
      );
      continue;
    }
    const planName = projectName(composeName);
    const taken = owner.get(planName);
    if (taken !== undefined)
      error(
        `services.${composeName}`,
        `service names "${taken}" and "${composeName}" both become "${planName}" in bootwave (lowercase, "-" for "_" and ".")`,
      );
    owner.set(planName, composeName);
    names.set(composeName, planName);
  }
  return names;
}

/**
 * Gates are never weaker than Compose's: `service_healthy` on a service whose file gives no test waits for the
 * image's HEALTHCHECK (the engine reports its health; a missing one fails the boot, as Compose refuses the
 * dependency), and on a service whose check is disabled it is an error, as in Compose.
 */
function applyGates(
  gates: { from: string; on: string; condition: string; path: string }[],
  names: Map<string, string>,
  healthOf: Map<string, HealthState>,
  services: Record<string, Record<string, unknown>>,
  error: Report,
): void {
  for (const gate of gates) {
    if (gate.condition !== 'healthy') continue;
    const target = names.get(gate.on) ?? gate.on;
    const service = services[target];
    const health = healthOf.get(target);
    if (!service || !health || service.health !== undefined) continue;
    if (health.kind === 'disabled')
      error(
        `${gate.path}.condition`,
        `service_healthy on "${gate.on}", whose healthcheck is disabled (${health.how}): it can never be healthy (Compose refuses this dependency too)`,
      );
    else if (health.kind === 'image' || health.kind === 'none') {
      const docker = service.docker as Record<string, unknown>;
      docker.healthcheck = { ...health.timing, test: [] };
    }
  }
}

/** `restart: on-failure` on a container without a healthcheck or published ports: a script that exits when done. */
function looksLikeOneShot(raw: Doc): boolean {
  return (
    /^on-failure(:\d+)?$/.test(String(raw.restart ?? '')) &&
    raw.healthcheck === undefined &&
    (raw.ports === undefined || (Array.isArray(raw.ports) && raw.ports.length === 0))
  );
}

/**
 * Compose waits for a health check until it fails: start_period + interval × retries. Without an explicit
 * `x-bootwave.startTimeout`, bootwave's start timeout is that when it exceeds the default, so a slow service
 * (start_period: 600s) is not given up on before Compose would.
 */
function derivedStartTimeout(service: Record<string, unknown>, health: HealthState | undefined): void {
  if (service.startTimeout !== undefined || !health || health.kind === 'none' || health.kind === 'disabled') return;
  const docker = service.docker as { healthcheck?: Record<string, unknown> } | undefined;
  const timing = docker?.healthcheck ?? health.timing;
  const msOf = (value: unknown, fallback: string) => {
    const written = goDuration(value ?? fallback);
    return typeof written === 'string' || typeof written === 'number' ? (parseDuration(written) ?? 0) : 0;
  };
  const retries = Number(timing.retries ?? composeHealthDefaults.retries);
  const budget =
    msOf(timing.startPeriod, composeHealthDefaults.startPeriod) +
    msOf(timing.interval, composeHealthDefaults.interval) * (Number.isFinite(retries) ? retries : 3);
  if (budget > defaultStartTimeoutMs) service.startTimeout = budget;
}

/** Compose project names allow `_`; plan names are DNS-label-like. */
export function projectName(raw: string): string {
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'compose'
  );
}

function argv(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : splitCommand(String(value));
}

function splitPair(text: string): [string, string] {
  const at = text.indexOf('=');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function stringMap(value: unknown): Record<string, string> {
  return isMap(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null ? '' : String(v)]))
    : {};
}

function envFiles(value: unknown): { path: string; required: boolean }[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) =>
    isMap(item)
      ? { path: String(item.path), required: item.required !== false }
      : { path: String(item), required: true },
  );
}

/** List (`KEY=value`, bare `KEY` from the environment) or map (`null` from the environment); unset bare keys are left out. */
function environment(value: unknown, env: ComposeContext['env']): Record<string, string> {
  const out: Record<string, string> = {};
  const fromEnv = (key: string) => {
    const found = env[key];
    if (found !== undefined) out[key] = found;
  };
  if (Array.isArray(value)) {
    for (const item of value.map(String)) {
      if (item.includes('=')) {
        const [key, val] = splitPair(item);
        out[key] = val;
      } else fromEnv(item);
    }
  } else if (isMap(value)) {
    for (const [key, val] of Object.entries(value)) {
      if (val === null || val === undefined) fromEnv(key);
      else out[key] = String(val);
    }
  }
  return out;
}

type Report = (path: string, message: string) => void;

/** Short (`[ip:]host:container[/proto]`) and long syntax; published on 127.0.0.1 unless the file names an IP. */
function ports(
  value: unknown,
  path: string,
  error: Report,
  warn: Report,
  recordItem: (index: number, origin: string) => void,
): string[] {
  const out: string[] = [];
  if (!Array.isArray(value)) {
    error(path, 'must be a list');
    return out;
  }
  value.forEach((item, index) => {
    const at = `${path}[${index}]`;
    if (isMap(item)) {
      if (item.published === undefined)
        return warn(at, 'ignored: a port without a published host port is not published');
      const hostIp = typeof item.host_ip === 'string' ? item.host_ip : '127.0.0.1';
      recordItem(out.length, at);
      out.push(
        `${hostIp}:${String(item.published)}:${String(item.target)}/${typeof item.protocol === 'string' ? item.protocol : 'tcp'}`,
      );
      return;
    }
    const text = String(item);
    const match = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(?:(\d+(?:-\d+)?):)?(\d+(?:-\d+)?)(?:\/(tcp|udp))?$/.exec(text);
    if (!match) return error(at, `invalid port "${text}": expected [hostIp:]hostPort:containerPort[/tcp|udp]`);
    const [, ip, host, container, proto] = match;
    if (host === undefined)
      return warn(at, `ignored: port ${text} has no host port (bootwave publishes fixed host ports only)`);
    if (host.includes('-') || container!.includes('-'))
      return error(at, `port ranges are not supported by bootwave ("${text}")`);
    recordItem(out.length, at);
    out.push(`${ip ?? '127.0.0.1'}:${host}:${container}/${proto ?? 'tcp'}`);
  });
  return out;
}

/** Bind mounts (relative sources resolved) and named volumes (scoped to the plan, as Compose scopes to the project). */
function mounts(
  value: unknown,
  path: string,
  plan: string,
  declared: Doc,
  ctx: ComposeContext,
  error: Report,
  anonymous: string[],
  recordItem: (index: number, origin: string) => void,
): string[] {
  const out: string[] = [];
  if (!Array.isArray(value)) {
    error(path, 'must be a list');
    return out;
  }
  value.forEach((item, index) => {
    const at = `${path}[${index}]`;
    let source: string;
    let target: string;
    let mode = '';
    if (isMap(item)) {
      if (item.type !== undefined && item.type !== 'bind' && item.type !== 'volume')
        return error(at, `volume type "${String(item.type)}" is not supported by bootwave`);
      source = String(item.source ?? '');
      target = String(item.target ?? '');
      if (item.read_only === true || item.read_only === 'true') mode = 'ro';
      if (source === '' && item.type !== 'bind' && target !== '') return void anonymous.push(target);
    } else {
      const parts = String(item).split(':');
      // `- /data`: an anonymous volume, created with the container and removed with it, as in Compose.
      if (parts.length < 2) return void anonymous.push(String(item));
      [source, target, mode = ''] = parts as [string, string, string?];
    }
    if (source === '' || target === '') return error(at, 'needs a source and a target');
    let resolved: string;
    if (source.startsWith('.') || source.startsWith('/') || source.startsWith('~')) resolved = ctx.resolvePath(source);
    else if (!(source in declared)) return error(at, `volume "${source}" is not declared in the top-level volumes`);
    else {
      const def = declared[source];
      resolved = isMap(def) && def.external === true ? String(def.name ?? source) : `bootwave-${plan}-${source}`;
    }
    recordItem(out.length, at);
    out.push(mode === '' ? `${resolved}:${target}` : `${resolved}:${target}:${mode}`);
  });
  return out;
}

type PlanDependency = { service: string; kind: string; condition: string };

function dependsOn(value: unknown, path: string, oneShots: Set<string>, error: Report, warn: Report): PlanDependency[] {
  if (Array.isArray(value))
    return value.map((svc) => ({ service: String(svc), kind: 'requires', condition: 'started' }));
  if (!isMap(value)) {
    error(path, 'must be a list or a mapping');
    return [];
  }
  return Object.entries(value).map(([svc, opts]) => {
    const options = isMap(opts) ? opts : {};
    const rawCondition = typeof options.condition === 'string' ? options.condition : 'service_started';
    const condition = conditions[rawCondition];
    if (!condition)
      error(
        `${path}.${svc}.condition`,
        `unknown condition "${rawCondition}": expected service_started, service_healthy or service_completed_successfully`,
      );
    if (condition === 'completed') oneShots.add(svc);
    if (options.restart === true)
      warn(
        `${path}.${svc}.restart`,
        `noted but not supported by bootwave: dependents are not restarted when ${svc} restarts`,
      );
    const required = options.required === undefined ? true : asBool(options.required);
    if (required === undefined)
      error(`${path}.${svc}.required`, `must be true or false, got ${JSON.stringify(options.required)}`);
    return { service: svc, kind: required === false ? 'wants' : 'requires', condition: condition ?? 'started' };
  });
}

type HealthState =
  | { kind: 'none'; timing: Record<string, unknown> }
  | { kind: 'image'; timing: Record<string, unknown> }
  | { kind: 'disabled'; how: string }
  | { kind: 'test'; spec: Record<string, unknown>; timing: Record<string, unknown> };

/** A Compose `healthcheck`: a test of its own, the image's (no `test`), disabled, or absent; malformed is an error. */
function healthcheckOf(value: unknown, path: string, error: Report): HealthState {
  if (value === undefined) return { kind: 'none', timing: {} };
  if (!isMap(value)) {
    error(path, 'must be a mapping');
    return { kind: 'disabled', how: 'malformed' };
  }
  for (const key of Object.keys(value)) {
    if (!['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'].includes(key))
      error(`${path}.${key}`, 'not supported by bootwave');
  }
  const timing: Record<string, unknown> = {};
  for (const [from, to] of [
    ['interval', 'interval'],
    ['timeout', 'timeout'],
    ['retries', 'retries'],
    ['start_period', 'startPeriod'],
    ['start_interval', 'startInterval'],
  ] as const)
    if (value[from] !== undefined) timing[to] = from === 'retries' ? value[from] : goDuration(value[from]);
  const disable = value.disable === undefined ? false : asBool(value.disable);
  if (disable === undefined) error(`${path}.disable`, `must be true or false, got ${JSON.stringify(value.disable)}`);
  if (disable === true) return { kind: 'disabled', how: 'disable: true' };
  const rawTest = value.test;
  let test: string[];
  if (rawTest === undefined) return { kind: 'image', timing };
  if (typeof rawTest === 'string') test = ['CMD-SHELL', rawTest];
  else if (Array.isArray(rawTest) && rawTest.length > 0 && rawTest.every((item) => typeof item === 'string'))
    test = rawTest as string[];
  else {
    error(
      `${path}.test`,
      `must be a command string or a list starting with CMD, CMD-SHELL or NONE, got ${JSON.stringify(rawTest)}`,
    );
    return { kind: 'disabled', how: 'malformed test' };
  }
  if (test[0] === 'NONE') return { kind: 'disabled', how: 'test: ["NONE"]' };
  if (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL') {
    error(`${path}.test`, `must start with CMD, CMD-SHELL or NONE (got "${test[0]}")`);
    return { kind: 'disabled', how: 'malformed test' };
  }
  if (test.length < 2) {
    error(`${path}.test`, `${test[0]} needs a command after it`);
    return { kind: 'disabled', how: 'malformed test' };
  }
  return {
    kind: 'test',
    timing,
    spec: {
      test,
      interval: timing.interval ?? composeHealthDefaults.interval,
      timeout: timing.timeout ?? composeHealthDefaults.timeout,
      retries: timing.retries ?? composeHealthDefaults.retries,
      startPeriod: timing.startPeriod ?? composeHealthDefaults.startPeriod,
      startInterval: timing.startInterval ?? composeHealthDefaults.startInterval,
    },
  };
}

/** Go durations as Compose writes them (`1m30s`, `500ms`, `1.5s`, `100us`); microseconds and below round to 1ms. */
export function goDuration(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text) || !/(ns|us|µs)/.test(text)) return text;
  let totalMs = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    const factor = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms'];
    totalMs += Number(amount) * factor;
  }
  return `${Math.max(1, Math.round(totalMs))}ms`;
}

/** Booleans as Compose reads them after interpolation (Go's strconv.ParseBool); undefined when not one. */
export function asBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = String(value);
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

function memoryOf(raw: Doc, path: string, error: Report, warn: Report): number | undefined {
  const deploy = isMap(raw.deploy) ? raw.deploy : undefined;
  if (deploy) {
    for (const key of Object.keys(deploy)) {
      if (key === 'resources') continue;
      if (key === 'replicas' && deploy.replicas === 1) continue;
      error(`${path}.deploy.${key}`, 'not supported by bootwave');
    }
  }
  const resources = isMap(deploy?.resources) ? deploy.resources : undefined;
  if (resources) {
    for (const key of Object.keys(resources))
      if (key !== 'limits') warn(`${path}.deploy.resources.${key}`, 'ignored: only limits.memory is applied');
    if (isMap(resources.limits))
      for (const key of Object.keys(resources.limits))
        if (key !== 'memory') warn(`${path}.deploy.resources.limits.${key}`, 'ignored: only limits.memory is applied');
  }
  const limits = isMap(resources?.limits) ? resources.limits : undefined;
  const raw_ = limits?.memory ?? raw.mem_limit;
  if (raw_ === undefined) return undefined;
  const bytes = dockerMemoryBytes(raw_);
  if (bytes === undefined)
    error(
      limits?.memory !== undefined ? `${path}.deploy.resources.limits.memory` : `${path}.mem_limit`,
      `invalid memory size "${String(raw_)}": expected e.g. 512m, 1g or bytes`,
    );
  return bytes;
}
