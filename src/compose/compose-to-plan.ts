import type { PlanIssue } from '../plan/plan-issue';
import type { BootOptions } from '../plan/boot-input';
import {
  mappedServiceKeys,
  mappedTopLevelKeys,
  otherSpecServiceKeys,
  otherSpecTopLevelKeys,
  specServiceKeys,
  specTopLevelKeys,
  unsupportedServiceKeys,
} from './compose-keys';
import { didYouMean } from '../plan/closest-name';
import { applyEngineKeys, fileMounts } from './engine-keys';
import type { ComposeOrigins } from './compose-path';
import type { ComposeContext } from './compose-context';
import { isMap, isOne, listOrDict, shown, stringOf, type Doc } from './compose-values';
import { inSelectedProfiles } from '../plan/check-service-entry';
import { composeBuild } from './compose-build';
import { builtImageName, projectName, serviceNames } from './compose-names';
import { argv } from './compose-argv';
import { envFiles, environment } from './compose-environment';
import { ports } from './compose-ports';
import { mounts, type OtherMounts } from './compose-mounts';
import { applyAliases, serviceLinks, serviceNetworks, type Link, type NetworkAliases } from './compose-networks';
import { applyNetworkMode, networkModeOf } from './compose-network-mode';
import { checkDeclarations } from './compose-top-level';
import { derivedStartTimeout, healthcheckOf, type HealthState } from './compose-healthcheck';
import { applyGates, dependsOn } from './compose-depends-on';
import { memoryOf } from './compose-memory';
import { composeDuration } from './go-duration';

/** What `composeToPlan` returns: the plan document, what could not be mapped, and where each part came from. */
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

/** Compose leaves the stop timeout to Docker: 10 s. */
const composeStopGrace = '10s';

/** Maps an interpolated Compose document onto the plan document format; reports what it cannot map. */
export function composeToPlan(compose: unknown, ctx: ComposeContext): ComposeMapping {
  const errors: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  const error = (path: string, message: string) => void errors.push({ file: ctx.file, path, message });
  const warn = (path: string, message: string) => void warnings.push({ file: ctx.file, path, message });
  const rawProject =
    ctx.projectName ?? (isMap(compose) && typeof compose.name === 'string' ? compose.name : ctx.defaultName);
  const name = projectName(rawProject);
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
  const topLevelKeys = isMap(compose) ? Object.keys(compose) : [];
  for (const key of topLevelKeys) {
    if (key.startsWith('x-') || mappedTopLevelKeys.has(key)) continue;
    if (otherSpecTopLevelKeys.has(key)) error(key, 'not supported by bootwave');
    else error(key, `unknown key: not in the Compose Specification${didYouMean(key, specTopLevelKeys)}`);
  }
  if (!isMap(compose) || !isMap(compose.services)) {
    error('services', 'a Compose file needs a "services" mapping');
    return { doc, bootOptions, errors, warnings, origins };
  }
  if (compose.version !== undefined) warn('version', 'ignored: the Compose file format version is obsolete');
  const volumes = isMap(compose.volumes) ? compose.volumes : {};
  const networks = isMap(compose.networks) ? compose.networks : {};
  checkDeclarations(compose, error, warn);

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
  /** container_name → the service that has it: two containers cannot share a name, as Compose says. */
  const containerNames = new Map<string, string>();
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
      else if (known) error(`${path}.${key}`, known.reason);
      else if (otherSpecServiceKeys.has(key)) error(`${path}.${key}`, 'not supported by bootwave');
      else error(`${path}.${key}`, `unknown key: not in the Compose Specification${didYouMean(key, specServiceKeys)}`);
    }
    // In a network mode the container has no name on a network: no aliases.
    const networkMode = networkModeOf(raw, path, error, warn);
    const aliases = planName === svcName || networkMode ? [] : [svcName];
    const containerName =
      raw.container_name === undefined ? undefined : stringOf(raw.container_name, `${path}.container_name`, error);
    // Only services the selected profiles start can clash: Compose accepts one name on services of two profiles.
    const active = inSelectedProfiles(Array.isArray(raw.profiles) ? raw.profiles : [], ctx.profiles ?? new Set());
    const sharedWith = containerName === undefined || !active ? undefined : containerNames.get(containerName);
    if (sharedWith !== undefined)
      error(
        `${path}.container_name`,
        `container name "${containerName}" is already the name of service "${sharedWith}"'s container`,
      );
    else if (containerName !== undefined && networkMode)
      warn(
        `${path}.container_name`,
        `not applied: in network_mode "${networkMode.mode}" no container reaches it by name; it is named bootwave-${name}-${planName}`,
      );
    else if (containerName !== undefined) {
      if (active) containerNames.set(containerName, svcName);
      items.set(`services.${planName}.docker.aliases[${aliases.length}]`, `${path}.container_name`);
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
    } else if (raw.build === undefined) error(`${path}.image`, 'is required (or a build to make it)');
    if (raw.build !== undefined) {
      const build = composeBuild(raw.build, `${path}.build`, ctx, { error, warn });
      if (build) docker.build = build;
      items.set(`${planPath}.build`, `${path}.build`);
      // `build: ./app` writes the context as the build itself.
      if (typeof raw.build === 'string') items.set(`${planPath}.build.context`, `${path}.build`);
      // Without an image, the built one is tagged as Compose tags it.
      if (raw.image === undefined) {
        docker.image = builtImageName(rawProject, svcName);
        items.set(`${planPath}.image`, `${path}.build`);
      }
    }
    for (const key of ['command', 'entrypoint'] as const) {
      const words = argv(raw[key], `${path}.${key}`, error, warn);
      if (words !== undefined) docker[key] = words;
    }
    if (raw.scale !== undefined && !isOne(raw.scale))
      error(`${path}.scale`, `not supported by bootwave (one container per service), got ${shown(raw.scale)}`);

    const env: Record<string, string> = {};
    for (const file of envFiles(raw.env_file, `${path}.env_file`, error)) {
      const values = ctx.readEnvFile(file.path, { raw: file.raw });
      if (values) Object.assign(env, values);
      else if (file.required) error(`${path}.env_file`, `env file ${file.path} not found`);
    }
    Object.assign(env, environment(raw.environment, `${path}.environment`, ctx.env, error));
    if (Object.keys(env).length > 0) docker.env = env;

    const recordItem = (list: string) => (index: number, origin: string) =>
      void items.set(`${planPath}.${list}[${index}]`, origin);
    if (raw.ports !== undefined && (networkMode?.publishesPorts ?? true))
      docker.ports = ports(raw.ports, `${path}.ports`, error, warn, recordItem('ports'));
    const other: OtherMounts = { anonymous: [], tmpfs: {}, targets: [] };
    // `environment:` secrets: read from the worker's environment when the container starts, never written to a plan.
    const envSecrets: { source: { env: string }; target: string }[] = [];
    const binds = [
      ...(raw.volumes === undefined
        ? []
        : mounts(raw.volumes, `${path}.volumes`, name, volumes, ctx, { error, warn }, other, recordItem('volumes'))),
      ...fileMounts(raw.secrets, `${path}.secrets`, secrets, '/run/secrets/', ctx, error, warn, (variable, target) =>
        envSecrets.push({ source: { env: variable }, target }),
      ),
      ...fileMounts(raw.configs, `${path}.configs`, configs, '/', ctx, error, warn),
    ];
    if (binds.length > 0) docker.volumes = binds;
    if (envSecrets.length > 0) docker.secrets = envSecrets;
    if (other.anonymous.length > 0) docker.anonymousVolumes = other.anonymous;
    // The `tmpfs:` key's mounts and the volumes' cannot share a target: Compose refuses the file.
    const tmpfsKey = (docker.tmpfs as Record<string, string> | undefined) ?? {};
    for (const target of Object.keys(tmpfsKey).filter((t) => other.targets.includes(t)))
      error(`${path}.volumes`, `target ${target} is already mounted by ${path}.tmpfs`);
    if (Object.keys(other.tmpfs).length > 0) docker.tmpfs = { ...tmpfsKey, ...other.tmpfs };
    if (raw.networks !== undefined && !networkMode) {
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
    docker.stopGrace = composeDuration(raw.stop_grace_period ?? composeStopGrace, `${path}.stop_grace_period`, error);
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
    if (networkMode) applyNetworkMode(service, planName, networkMode, names, items, error);

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
  // Services others wait on to be started or healthy run until stopped, whatever their restart policy says.
  const waitedRunning = new Set(gates.filter((g) => g.condition !== 'completed').map((g) => g.on));
  for (const [svcName, raw] of Object.entries(compose.services)) {
    const planName = names.get(svcName) ?? svcName;
    const service = doc.services[planName];
    if (!service || !isMap(raw)) continue;
    if (service.oneShot === undefined && !waitedRunning.has(svcName) && looksLikeOneShot(raw)) {
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

/**
 * `restart: on-failure:N` (a bounded number of retries) on a container without a healthcheck or published ports: a
 * script that exits when done, such as Temporal's `create-namespace`. A plain `on-failure` is as common on servers
 * (a database, a queue worker), which as one-shots would fail the boot when they do not exit: they are left alone.
 */
function looksLikeOneShot(raw: Doc): boolean {
  return (
    /^on-failure:\d+$/.test(String(raw.restart ?? '')) &&
    raw.healthcheck === undefined &&
    (raw.ports === undefined || (Array.isArray(raw.ports) && raw.ports.length === 0))
  );
}
