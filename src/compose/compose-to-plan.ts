import type { PlanIssue } from '../plan/plan-issue';
import type { BootOptions } from '../plan/boot-input';
import { mappedServiceKeys, mappedTopLevelKeys, unsupportedServiceKeys } from './compose-keys';
import { splitCommand } from './split-command';

/** Where the Compose file lives and what the environment holds; paths stay here, the mapping does no IO. */
export interface ComposeContext {
  file: string;
  /** Project name when the file names none: Compose uses the folder's name. */
  defaultName: string;
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
}

/** Compose's defaults for healthcheck timing (docs: interval 30s, timeout 30s, retries 3, start_interval 5s). */
export const composeHealthDefaults = {
  interval: '30s',
  timeout: '30s',
  retries: 3,
  startPeriod: '0s',
  startInterval: '5s',
} as const;

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
  const name = projectName(isMap(compose) && typeof compose.name === 'string' ? compose.name : ctx.defaultName);
  const doc: ComposeMapping['doc'] = { name, services: {} };
  const bootOptions: Partial<BootOptions> = {};
  if (!isMap(compose) || !isMap(compose.services)) {
    error('services', 'a Compose file needs a "services" mapping');
    return { doc, bootOptions, errors, warnings };
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
  for (const [svcName, raw] of Object.entries(compose.services)) {
    const path = `services.${svcName}`;
    if (!isMap(raw)) {
      error(path, 'must be a mapping');
      continue;
    }
    const service: Record<string, unknown> = {};
    const docker: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) {
      if (key.startsWith('x-') && key !== 'x-bootwave') continue;
      if (mappedServiceKeys.has(key)) continue;
      const known = unsupportedServiceKeys[key];
      if (known?.severity === 'warning') warn(`${path}.${key}`, known.reason);
      else if (known && !(key === 'build' && typeof raw.image === 'string')) error(`${path}.${key}`, known.reason);
      else if (known) warn(`${path}.${key}`, `${known.reason}; using image ${String(raw.image)}`);
      else error(`${path}.${key}`, 'not supported by bootwave');
    }
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

    if (raw.ports !== undefined) docker.ports = ports(raw.ports, `${path}.ports`, error, warn);
    if (raw.volumes !== undefined) docker.volumes = mounts(raw.volumes, `${path}.volumes`, name, volumes, ctx, error);
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
      const match = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(String(raw.restart));
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
    if (raw.stop_grace_period !== undefined) docker.stopGrace = raw.stop_grace_period;
    const healthcheck = healthcheckOf(raw.healthcheck, `${path}.healthcheck`, error, warn);
    if (healthcheck) docker.healthcheck = healthcheck;
    service.docker = docker;

    const memory = memoryOf(raw, path, error, warn);
    if (memory !== undefined) service.resources = { memory };
    if (raw.profiles !== undefined) service.profiles = raw.profiles;
    if (raw.depends_on !== undefined)
      service.dependsOn = dependsOn(raw.depends_on, `${path}.depends_on`, oneShots, error, warn);

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
    doc.services[svcName] = service;
  }
  // A dependency others wait on to complete successfully is a one-shot (a migration): it must exit 0.
  for (const svc of oneShots) {
    const target = doc.services[svc];
    if (target && target.oneShot === undefined) target.oneShot = true;
  }
  return { doc, bootOptions, errors, warnings };
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
function ports(value: unknown, path: string, error: Report, warn: Report): string[] {
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
      if (item.read_only === true) mode = 'ro';
    } else {
      const parts = String(item).split(':');
      if (parts.length < 2)
        return error(at, `anonymous volume "${String(item)}" is not supported by bootwave (name it)`);
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
    out.push(mode === '' ? `${resolved}:${target}` : `${resolved}:${target}:${mode}`);
  });
  return out;
}

function dependsOn(value: unknown, path: string, oneShots: Set<string>, error: Report, warn: Report): unknown[] {
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
    return { service: svc, kind: options.required === false ? 'wants' : 'requires', condition: condition ?? 'started' };
  });
}

function healthcheckOf(value: unknown, path: string, error: Report, warn: Report): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isMap(value)) {
    error(path, 'must be a mapping');
    return undefined;
  }
  if (value.disable === true) return undefined;
  const rawTest = value.test;
  let test: string[];
  if (typeof rawTest === 'string') test = ['CMD-SHELL', rawTest];
  else if (Array.isArray(rawTest) && rawTest.length > 0) test = rawTest.map(String);
  else {
    // No test: the image's own HEALTHCHECK applies, which bootwave cannot see before the container runs.
    warn(path, 'ignored: a healthcheck without "test" keeps the image HEALTHCHECK, which bootwave does not gate on');
    return undefined;
  }
  if (test[0] === 'NONE') return undefined;
  if (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL')
    error(`${path}.test`, `must start with CMD, CMD-SHELL or NONE (got "${test[0]}")`);
  for (const key of Object.keys(value)) {
    if (!['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'].includes(key))
      error(`${path}.${key}`, 'not supported by bootwave');
  }
  return {
    test,
    interval: value.interval ?? composeHealthDefaults.interval,
    timeout: value.timeout ?? composeHealthDefaults.timeout,
    retries: value.retries ?? composeHealthDefaults.retries,
    startPeriod: value.start_period ?? composeHealthDefaults.startPeriod,
    startInterval: value.start_interval ?? composeHealthDefaults.startInterval,
  };
}

/** Docker's memory units are binary: `512m` is 512 MiB, `1g` 1 GiB (a plain number is bytes). */
export function dockerMemoryBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i.exec(String(value).trim());
  if (!match) return undefined;
  const factor = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Math.round(Number(match[1]) * factor);
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
