import type { PlanIssue } from '../plan/plan-issue';
import type { BootOptions } from '../plan/boot-input';
import { mappedServiceKeys, mappedTopLevelKeys, unsupportedServiceKeys } from './compose-keys';
import { defaultStartTimeoutMs } from '../plan/defaults';
import { parseDuration } from '../plan/duration';
import { applyEngineKeys, fileMounts, listOrDict, scalarOf, shown, stringList, stringOf } from './engine-keys';
import { dockerMemoryBytes } from './docker-memory';
import { readCommandLine } from './split-command';
import type { ComposeOrigins } from './compose-path';
import { validHostIp } from '../plan/plan-schema';

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
  /** Per plan service: the aliases its `networks` entries give it, by network. */
  const networkAliases = new Map<string, NetworkAliases[]>();
  const links: Link[] = [];
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
    const containerName =
      raw.container_name === undefined ? undefined : stringOf(raw.container_name, `${path}.container_name`, error);
    if (containerName !== undefined) {
      aliases.push(containerName);
      warn(
        `${path}.container_name`,
        `applied as a network alias: other containers reach it as ${containerName}; the container itself is named bootwave-${name}-${planName}`,
      );
    }
    if (aliases.length > 0) docker.aliases = aliases;
    applyEngineKeys(raw, docker, path, error);
    if (raw.image !== undefined) {
      const image = stringOf(raw.image, `${path}.image`, error);
      if (image !== undefined) docker.image = image;
    } else if (raw.build === undefined) error(`${path}.image`, 'is required (bootwave runs existing images)');
    for (const key of ['command', 'entrypoint'] as const) {
      const words = argv(raw[key], `${path}.${key}`, error, warn);
      if (words !== undefined) docker[key] = words;
    }
    if (raw.scale !== undefined && !isOne(raw.scale))
      error(`${path}.scale`, `not supported by bootwave (one container per service), got ${shown(raw.scale)}`);

    const env: Record<string, string> = {};
    for (const file of envFiles(raw.env_file, `${path}.env_file`, error)) {
      const values = ctx.readEnvFile(file.path);
      if (values) Object.assign(env, values);
      else if (file.required) error(`${path}.env_file`, `env file ${file.path} not found`);
    }
    Object.assign(env, environment(raw.environment, `${path}.environment`, ctx.env, error));
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
        : mounts(raw.volumes, `${path}.volumes`, name, volumes, ctx, error, warn, anonymous, recordItem('volumes'))),
      ...fileMounts(raw.secrets, `${path}.secrets`, secrets, '/run/secrets/', ctx, error, warn, (variable, target) =>
        envSecrets.push({ source: { env: variable }, target }),
      ),
      ...fileMounts(raw.configs, `${path}.configs`, configs, '/', ctx, error, warn),
    ];
    if (binds.length > 0) docker.volumes = binds;
    if (envSecrets.length > 0) docker.secrets = envSecrets;
    if (anonymous.length > 0) docker.anonymousVolumes = anonymous;
    if (raw.networks !== undefined) {
      const joined = serviceNetworks(raw.networks, `${path}.networks`, error, warn);
      docker.networks = joined.names;
      if (joined.aliases.length > 0) networkAliases.set(planName, joined.aliases);
    }
    for (const net of (docker.networks as string[] | undefined) ?? []) {
      if (net !== 'default' && !(net in networks))
        error(`${path}.networks`, `network "${net}" is not declared in the top-level networks`);
    }
    if (raw.links !== undefined) links.push(...serviceLinks(raw.links, `${path}.links`, svcName, error));
    if (raw.labels !== undefined) docker.labels = listOrDict(raw.labels, `${path}.labels`, error);
    const restart = raw.restart === undefined ? undefined : stringOf(raw.restart, `${path}.restart`, error);
    if (restart !== undefined) {
      const match = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(restart.replace(/^"no"$/, 'no'));
      if (!match)
        error(
          `${path}.restart`,
          `invalid restart policy "${restart}": expected no, always, on-failure[:N] or unless-stopped`,
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
    // Disabled in the file: the engine must not run the image's HEALTHCHECK either (an unhealthy container is not
    // ready), as Compose creates the container with Test ["NONE"].
    else if (health.kind === 'disabled' && health.written) docker.healthcheck = { test: ['NONE'] };
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
  applyAliases(doc.services, names, networkAliases, links, items, error, warn);
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

/** `command`/`entrypoint`: a string split as Compose splits it, or a list of strings; null is none. */
function argv(value: unknown, path: string, error: Report, warn: Report): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    if (!Array.isArray(value))
      return void error(path, `must be a command string or a list of strings, got ${shown(value)}`);
    return stringList(value, path, error);
  }
  const read = readCommandLine(value);
  if (!read.ok) return void error(path, `${read.message} in ${shown(value)}`);
  if (read.dropped !== undefined)
    warn(
      path,
      `${shown(read.dropped)} is not run, as in Compose: a command string is split into words, not run by a shell (write [sh, -c, "..."] for one)`,
    );
  return read.words;
}

/** A count of 1, as a number or a string (after interpolation). */
const isOne = (value: unknown): boolean => value === 1 || value === '1';

function splitPair(text: string): [string, string] {
  const at = text.indexOf('=');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function envFiles(value: unknown, path: string, error: Report): { path: string; required: boolean }[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: { path: string; required: boolean }[] = [];
  list.forEach((item, index) => {
    const at = Array.isArray(value) ? `${path}[${index}]` : path;
    if (typeof item === 'string') return void out.push({ path: item, required: true });
    if (!isMap(item)) return error(at, `must be a file path or a mapping with path, got ${shown(item)}`);
    if (typeof item.path !== 'string') return error(`${at}.path`, `must be a string, got ${shown(item.path)}`);
    const required = item.required === undefined ? true : asBool(item.required);
    if (required === undefined)
      return error(`${at}.required`, `must be true or false, got ${JSON.stringify(item.required)}`);
    out.push({ path: item.path, required });
  });
  return out;
}

/**
 * List (`KEY=value`, bare `KEY` from the environment) or map (scalar values; `null` from the environment); unset
 * bare keys are left out. Values of another type are errors, as in Compose.
 */
function environment(value: unknown, path: string, env: ComposeContext['env'], error: Report): Record<string, string> {
  const out: Record<string, string> = {};
  const fromEnv = (key: string) => {
    const found = env[key];
    if (found !== undefined) out[key] = found;
  };
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item !== 'string')
        return error(`${path}[${index}]`, `must be a string (KEY=value or KEY), got ${shown(item)}`);
      if (item.includes('=')) {
        const [key, val] = splitPair(item);
        out[key] = val;
      } else fromEnv(item);
    });
  } else if (isMap(value)) {
    for (const [key, val] of Object.entries(value)) {
      const text = scalarOf(val, `${path}.${key}`, error);
      if (text === null) fromEnv(key);
      else if (text !== undefined) out[key] = text;
    }
  } else error(path, `must be a mapping or a list of KEY=value strings, got ${shown(value)}`);
  return out;
}

type Report = (path: string, message: string) => void;

/**
 * Short (`[ip:]host:container[/proto]`, an IPv6 host IP as `[::1]:` or `::1:`) and long syntax, read as Compose
 * reads them; published on 127.0.0.1 unless the file names an IP. A port without a fixed host port (`"9000"`,
 * `":80"`, `"127.0.0.1::443"`, `published` absent or 0) is not published, with a warning. Problems quote what the
 * file wrote.
 */
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
    const port = isMap(item) ? longPort(item, at, error, warn) : shortPort(item, at, error, warn);
    if (port === undefined) return;
    recordItem(out.length, at);
    const ip = port.hostIp ?? '127.0.0.1';
    out.push(`${ip.includes(':') ? `[${ip}]` : ip}:${port.host}:${port.container}/${port.protocol}`);
  });
  return out;
}

type PortParts = { hostIp?: string; host: number; container: number; protocol: string };
const portNumber = /^\d+$/;
const portRange = /^\d+-\d+$/;
const noHostPort = 'bootwave publishes fixed host ports only';

function shortPort(item: unknown, at: string, error: Report, warn: Report): PortParts | undefined {
  if (typeof item !== 'string' && typeof item !== 'number')
    return void error(
      at,
      `must be a port string ("8080:80") or a mapping with target and published, got ${shown(item)}`,
    );
  const text = String(item);
  // As Compose splits it: the last part is the container port (and protocol), the one before the host port,
  // the rest the host IP (which may hold colons: IPv6).
  const parts = text.split(':');
  const last = parts.pop()!;
  const host = parts.pop();
  const ip = parts.length > 0 ? parts.join(':') : undefined;
  const [container = '', protocol = 'tcp'] = last.split('/', 2);
  const form = `invalid port "${text}": expected [hostIp:]hostPort:containerPort[/tcp|udp]`;
  if (!portNumber.test(container) && !portRange.test(container)) return void error(at, form);
  if (host !== undefined && host !== '' && !portNumber.test(host) && !portRange.test(host)) return void error(at, form);
  let hostIp: string | undefined;
  if (ip !== undefined) {
    hostIp = /^\[(.*)\]$/.exec(ip)?.[1] ?? ip;
    if (!validHostIp(hostIp)) return void error(at, `invalid host IP ${ip} in "${text}"`);
  }
  if ((protocol || 'tcp') !== 'tcp' && protocol !== 'udp')
    return void error(at, `invalid port "${text}": protocol "${protocol}" is not supported by bootwave (tcp or udp)`);
  if (portRange.test(container) || (host !== undefined && portRange.test(host)))
    return void error(at, `port ranges are not supported by bootwave ("${text}")`);
  if (Number(container) < 1 || Number(container) > 65535)
    return void error(at, `container port must be from 1 to 65535, got ${Number(container)} in "${text}"`);
  if (host === undefined || host === '') return void warn(at, `ignored: port ${text} has no host port (${noHostPort})`);
  if (Number(host) === 0) return void warn(at, `ignored: port ${text} asks for a random host port (${noHostPort})`);
  if (Number(host) > 65535)
    return void error(at, `host port must be from 1 to 65535, got ${Number(host)} in "${text}"`);
  return {
    ...(hostIp === undefined ? {} : { hostIp }),
    host: Number(host),
    container: Number(container),
    protocol: protocol || 'tcp',
  };
}

/** What a long-syntax port may say (Compose's schema); `x-` keys are the user's own. */
const longPortKeys = ['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol'];

/** `mode`, `name` and `app_protocol` have no effect on a container of a plain engine (Compose passes them on to none). */
function longPort(item: Doc, at: string, error: Report, warn: Report): PortParts | undefined {
  let bad = false;
  const fail = (key: string, message: string) => {
    error(`${at}.${key}`, message);
    bad = true;
  };
  for (const key of Object.keys(item))
    if (!key.startsWith('x-') && !longPortKeys.includes(key))
      fail(key, `unknown key (expected ${longPortKeys.join(', ')})`);
  const number = (key: 'target' | 'published'): number | undefined => {
    const value = item[key];
    const text = typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
    if (text !== undefined && portRange.test(text))
      return void fail(key, `port ranges are not supported by bootwave (${shown(value)})`);
    if (text === undefined || !portNumber.test(text) || Number(text) > 65535)
      return void fail(key, `must be a port number from 1 to 65535, got ${shown(value)}`);
    return Number(text);
  };
  const container =
    item.target === undefined ? void fail('target', 'is required (the container port)') : number('target');
  if (container === 0) fail('target', 'must be a port number from 1 to 65535, got 0');
  const host = item.published === undefined || item.published === '' ? undefined : number('published');
  let hostIp: string | undefined;
  if (item.host_ip !== undefined) {
    if (typeof item.host_ip !== 'string' || !validHostIp(item.host_ip))
      fail('host_ip', `invalid IP address ${shown(item.host_ip)} (an IPv4 or IPv6 address, without brackets)`);
    else hostIp = item.host_ip;
  }
  const protocol = item.protocol ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp')
    fail('protocol', `${shown(protocol)} is not supported by bootwave (tcp or udp)`);
  if (bad || container === undefined) return undefined;
  if (item.published === undefined || item.published === '')
    return void warn(at, `ignored: port ${container} has no host port (${noHostPort})`);
  if (host === 0) return void warn(at, `ignored: port ${container} asks for a random host port (${noHostPort})`);
  if (host === undefined) return undefined;
  return { ...(hostIp === undefined ? {} : { hostIp }), host, container, protocol: protocol as string };
}

/** What a long-syntax volume may say (Compose's schema), and what its `bind` and `volume` options may. */
const mountKeys = ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image'];
const bindOptionKeys = ['propagation', 'create_host_path', 'recursive', 'selinux'];
const volumeOptionKeys = ['labels', 'nocopy', 'subpath'];
const propagations = ['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate'];

/**
 * Bind mounts (relative sources resolved) and named volumes (scoped to the plan, as Compose scopes to the project),
 * as the engine's bind syntax `source:target[:options]`. Long-syntax options the engine takes that way are applied
 * (`read_only`, `bind.propagation`, `bind.selinux`, `volume.nocopy`); `volume.subpath` and unknown keys are errors;
 * the other options are warned about.
 */
function mounts(
  value: unknown,
  path: string,
  plan: string,
  declared: Doc,
  ctx: ComposeContext,
  error: Report,
  warn: Report,
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
      const long = longMount(item, at, error, warn);
      if (!long) return;
      ({ source, target } = long);
      mode = long.options.join(',');
      if (source === '' && long.type === 'volume' && target !== '') {
        if (long.options.includes('nocopy'))
          warn(`${at}.volume.nocopy`, 'ignored: an anonymous volume is created empty and filled from the image');
        return void anonymous.push(target);
      }
    } else if (typeof item !== 'string') {
      return error(
        at,
        `must be a string (source:target[:mode]) or a mapping with type, source and target, got ${shown(item)}`,
      );
    } else {
      const parts = item.split(':');
      // `- /data`: an anonymous volume, created with the container and removed with it, as in Compose.
      if (parts.length < 2) return void anonymous.push(item);
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

/** A long-syntax volume: its parts and the bind options it maps to; undefined (reported) when it cannot be mounted. */
function longMount(
  item: Doc,
  at: string,
  error: Report,
  warn: Report,
): { type: 'bind' | 'volume'; source: string; target: string; options: string[] } | undefined {
  let bad = false;
  const fail = (key: string, message: string) => {
    error(`${at}.${key}`, message);
    bad = true;
  };
  const known = (value: Doc, keys: string[], where: string) => {
    for (const key of Object.keys(value))
      if (!key.startsWith('x-') && !keys.includes(key))
        fail(where === '' ? key : `${where}.${key}`, `unknown key (expected ${keys.join(', ')})`);
  };
  known(item, mountKeys, '');
  if (item.type === undefined) return void fail('type', 'is required (bind or volume)');
  if (item.type !== 'bind' && item.type !== 'volume')
    return void error(at, `volume type "${String(item.type)}" is not supported by bootwave`);
  const type = item.type as 'bind' | 'volume';
  for (const key of ['source', 'target'] as const)
    if (item[key] !== undefined && typeof item[key] !== 'string')
      fail(key, `must be a string, got ${shown(item[key])}`);
  const options: string[] = [];
  if (item.read_only !== undefined) {
    const readOnly = asBool(item.read_only);
    if (readOnly === undefined) fail('read_only', `must be true or false, got ${JSON.stringify(item.read_only)}`);
    else if (readOnly) options.push('ro');
  }
  if (item.consistency !== undefined)
    warn(`${at}.consistency`, "ignored: the engine's default consistency is used (it only matters on macOS)");
  for (const key of ['bind', 'volume', 'tmpfs', 'image'] as const) {
    const settings = item[key];
    if (settings === undefined) continue;
    if (!isMap(settings)) {
      fail(key, `must be a mapping, got ${shown(settings)}`);
      continue;
    }
    if (key === 'bind') known(settings, bindOptionKeys, key);
    if (key === 'volume') known(settings, volumeOptionKeys, key);
    // Options of another mount type: Compose ignores them too.
    if (key !== type) {
      warn(`${at}.${key}`, `ignored: ${key} options do not apply to a ${type} mount`);
      continue;
    }
    if (key === 'bind') {
      if (settings.propagation !== undefined) {
        if (typeof settings.propagation === 'string' && propagations.includes(settings.propagation))
          options.push(settings.propagation);
        else fail('bind.propagation', `must be one of ${propagations.join(', ')}, got ${shown(settings.propagation)}`);
      }
      if (settings.selinux !== undefined) {
        if (settings.selinux === 'z' || settings.selinux === 'Z') options.push(settings.selinux);
        else fail('bind.selinux', `must be z or Z, got ${shown(settings.selinux)}`);
      }
      if (settings.create_host_path !== undefined) {
        const create = asBool(settings.create_host_path);
        if (create === undefined)
          fail('bind.create_host_path', `must be true or false, got ${JSON.stringify(settings.create_host_path)}`);
        else if (!create)
          warn(
            `${at}.bind.create_host_path`,
            'ignored: the engine creates a missing host path (bootwave mounts binds as the short syntax does)',
          );
      }
      if (settings.recursive !== undefined)
        warn(`${at}.bind.recursive`, "ignored: the engine's default recursive mount is used");
    }
    if (key === 'volume') {
      if (settings.subpath !== undefined)
        fail(
          'volume.subpath',
          `not supported by bootwave: it would mount the whole volume, not its ${shown(settings.subpath)} (mount a volume of its own instead)`,
        );
      if (settings.nocopy !== undefined) {
        const nocopy = asBool(settings.nocopy);
        if (nocopy === undefined)
          fail('volume.nocopy', `must be true or false, got ${JSON.stringify(settings.nocopy)}`);
        else if (nocopy) options.push('nocopy');
      }
      if (settings.labels !== undefined)
        warn(`${at}.volume.labels`, 'ignored: the volume is created without these labels');
    }
  }
  if (bad) return undefined;
  return {
    type,
    source: typeof item.source === 'string' ? item.source : '',
    target: typeof item.target === 'string' ? item.target : '',
    options,
  };
}

type PlanDependency = { service: string; kind: string; condition: string };

function dependsOn(value: unknown, path: string, oneShots: Set<string>, error: Report, warn: Report): PlanDependency[] {
  if (Array.isArray(value))
    return (stringList(value, path, error) ?? []).map((svc) => ({
      service: svc,
      kind: 'requires',
      condition: 'started',
    }));
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
  /** `written`: disabled by the file (passed on to the engine); else malformed (an error). */
  | { kind: 'disabled'; how: string; written?: true }
  | { kind: 'test'; spec: Record<string, unknown>; timing: Record<string, unknown> };

/** A Compose `healthcheck`: a test of its own, the image's (no `test`), disabled, or absent; malformed is an error. */
function healthcheckOf(value: unknown, path: string, error: Report): HealthState {
  if (value === undefined) return { kind: 'none', timing: {} };
  if (!isMap(value)) {
    error(path, 'must be a mapping');
    return { kind: 'disabled', how: 'malformed' };
  }
  for (const key of Object.keys(value)) {
    if (key.startsWith('x-')) continue;
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
  if (disable === true) return { kind: 'disabled', how: 'disable: true', written: true };
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
  if (test[0] === 'NONE') return { kind: 'disabled', how: 'test: ["NONE"]', written: true };
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
      if (key === 'replicas' && isOne(deploy.replicas)) continue;
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
      `invalid memory size ${typeof raw_ === 'string' ? `"${raw_}"` : shown(raw_)}: expected e.g. 512m, 1g or bytes`,
    );
  return bytes;
}

/** The aliases a service's `networks` entry gives it on that network. */
type NetworkAliases = { network: string; aliases: string[]; path: string };
/** A `links` entry: `service` or `service:alias`, written in the service `from`. */
type Link = { from: string; service: string; alias?: string; path: string };

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
function serviceNetworks(
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
function serviceLinks(value: unknown, path: string, from: string, error: Report): Link[] {
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
function applyAliases(
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
