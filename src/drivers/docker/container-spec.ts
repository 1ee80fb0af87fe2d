import { createHash } from 'node:crypto';
import type { InstanceSlot } from '../../contract/activities';
import type { DockerTarget, ServiceSpec } from '../../plan/types';
import { stableJson } from '../../stable-json';
import type { ContainerCreateSpec } from './docker-engine';
import { DockerLabels, containerName, namedNetwork, planNetworkName } from './docker-names';

const nsPerMs = 1_000_000;

/**
 * Hash of everything that shapes the container, so a changed definition is detected on the next start. For an image
 * the plan builds, its ID is part of it (`builtImageId`): a rebuild replaces the container, as Compose does.
 */
export function containerSpecHash(
  plan: string,
  service: ServiceSpec & { target: DockerTarget },
  builtImageId?: string,
): string {
  const material = stableJson({
    plan,
    // The ID the command's `--build` recorded is not: the engine's own ID (`builtImageId` here) is what the
    // container runs, and a later boot that built nothing must not replace the same container.
    target: { ...service.target, builtImageId: undefined },
    memoryBytes: service.memoryBytes ?? null,
    ...(builtImageId === undefined ? {} : { builtImageId }),
  });
  return createHash('sha256').update(material).digest('hex').slice(0, 16);
}

/** What the worker read for a container's secrets at start: variables, and bind mounts of the secret files. */
export interface ResolvedSecrets {
  env: Record<string, string>;
  binds: string[];
}

/** The create options for a service's container: labels, ports, limits, restart policy and HEALTHCHECK. */
export function containerCreateSpec(
  plan: string,
  bootId: string,
  service: ServiceSpec & { target: DockerTarget },
  secrets: ResolvedSecrets = { env: {}, binds: [] },
  slot?: InstanceSlot,
  /** False for the new instance beside a running old one: reachable by name only once it takes over. */
  reachableByName = true,
  builtImageId?: string,
): ContainerCreateSpec {
  const target = service.target;
  const exposedPorts: ContainerCreateSpec['exposedPorts'] = {};
  const portBindings: ContainerCreateSpec['portBindings'] = {};
  for (const port of target.ports) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposedPorts[key] = {};
    (portBindings[key] ??= []).push({ HostIp: port.hostIp, HostPort: String(port.hostPort) });
  }
  return {
    name: containerName(plan, service.name, slot),
    image: target.image,
    ...(target.command ? { cmd: target.command } : {}),
    ...(target.entrypoint ? { entrypoint: target.entrypoint } : {}),
    env: Object.entries({ ...target.env, ...secrets.env }).map(([key, value]) => `${key}=${value}`),
    labels: {
      ...target.labels,
      [DockerLabels.plan]: plan,
      [DockerLabels.service]: service.name,
      [DockerLabels.boot]: bootId,
      [DockerLabels.spec]: containerSpecHash(plan, service, builtImageId),
    },
    exposedPorts,
    portBindings,
    binds: [...target.volumes, ...secrets.binds],
    ...(service.memoryBytes !== undefined ? { memoryBytes: service.memoryBytes } : {}),
    restartPolicy: {
      Name: target.restart === 'no' ? '' : target.restart,
      ...(target.restart === 'on-failure' && target.restartMaxAttempts !== undefined
        ? { MaximumRetryCount: target.restartMaxAttempts }
        : {}),
    },
    ...(target.healthcheck ? { healthcheck: engineHealthcheck(target.healthcheck) } : {}),
    network:
      target.networkMode === undefined
        ? { name: containerNetworks(plan, target)[0]!, aliases: reachableByName ? serviceAliases(service)[0]! : [] }
        : { mode: engineNetworkMode(plan, target.networkMode) },
    ...engineExtras(target),
  };
}

/** The Compose keys that map straight onto the Docker API; absent when the target sets none. */
function engineExtras(target: DockerTarget): Pick<ContainerCreateSpec, 'config' | 'hostConfig'> {
  const config = defined({
    User: target.user,
    WorkingDir: target.workingDir,
    Hostname: target.hostname,
    StopSignal: target.stopSignal,
    Volumes: target.anonymousVolumes?.length
      ? Object.fromEntries(target.anonymousVolumes.map((path) => [path, {}]))
      : undefined,
  });
  const hostConfig = defined({
    CapAdd: target.capAdd,
    CapDrop: target.capDrop,
    Privileged: target.privileged,
    ReadonlyRootfs: target.readOnly,
    GroupAdd: target.groupAdd,
    Init: target.init,
    ExtraHosts: target.extraHosts,
    Dns: target.dns,
    Sysctls: target.sysctls,
    Tmpfs: target.tmpfs,
    Ulimits: target.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
    ShmSize: target.shmSizeBytes,
    SecurityOpt: target.securityOpt,
  });
  return {
    ...(Object.keys(config).length > 0 ? { config } : {}),
    ...(Object.keys(hostConfig).length > 0 ? { hostConfig } : {}),
  };
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/**
 * The names a service's container answers to on each of its networks (in `containerNetworks` order): everywhere
 * its service name and `aliases`, and on a network its `networkAliases` give names on, those too.
 */
export function serviceAliases(service: ServiceSpec & { target: DockerTarget }): string[][] {
  const { target } = service;
  const everywhere = [service.name, ...(target.aliases ?? [])];
  if (target.networks.length === 0) return [everywhere];
  return target.networks.map((network) => [
    ...everywhere,
    ...(target.networkAliases?.[network] ?? []).filter((alias) => !everywhere.includes(alias)),
  ]);
}

/** Every network the container joins: the first at creation, the rest connected after; none in a network mode. */
export function containerNetworks(plan: string, target: DockerTarget): string[] {
  if (target.networkMode !== undefined) return [];
  if (target.networks.length === 0) return [planNetworkName(plan)];
  return target.networks.map((network) => namedNetwork(plan, network));
}

/** The engine's `NetworkMode`: `service:<name>` is the container of that service of the plan (its blue instance). */
function engineNetworkMode(plan: string, mode: string): string {
  return mode.startsWith('service:') ? `container:${containerName(plan, mode.slice('service:'.length))}` : mode;
}

function engineHealthcheck(
  check: NonNullable<DockerTarget['healthcheck']>,
): NonNullable<ContainerCreateSpec['healthcheck']> {
  const [first] = check.test;
  // A bare argv is exec form; CMD, CMD-SHELL and NONE are passed as the engine expects them; an empty test keeps
  // the image's (the engine's own meaning of an empty Test) with this timing.
  const test =
    first === undefined || first === 'CMD' || first === 'CMD-SHELL' || first === 'NONE'
      ? check.test
      : ['CMD', ...check.test];
  return {
    Test: test,
    Interval: check.timing.intervalMs * nsPerMs,
    Timeout: check.timing.timeoutMs * nsPerMs,
    Retries: check.timing.retries,
    StartPeriod: check.timing.startPeriodMs * nsPerMs,
    // Engines before API 1.44 ignore StartInterval; newer ones probe at it during the start period.
    StartInterval: check.timing.startIntervalMs * nsPerMs,
  };
}
