import { defaultExpectStatus, defaultNamespace, defaultProbeTiming, defaultStopGraceMs } from './defaults';
import { parseDuration } from './duration';
import { parseSize } from './size';
import type { CheckFile, LeafCheckFile, PlanFile, ServiceFile, TimingFile } from './plan-schema';
import { portMappingPattern } from './plan-schema';
import type { HealthCheck, LeafProbe, PortMapping, ProbeSpec, ProbeTiming, SecretSource, Target } from './types';

/** The entries whose value is set: optional target fields stay absent, so existing plans resolve as before. */
function pickDefined<T extends Record<string, unknown>>(
  fields: T,
): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<{
    [K in keyof T]: Exclude<T[K], undefined>;
  }>;
}

/** Durations already passed the schema; this only narrows the type. */
export const ms = (value: string | number): number => parseDuration(value) ?? 0;
const msOr = (value: string | number | undefined, fallback: number): number =>
  value === undefined ? fallback : ms(value);

/** Probe timing: the service's own fields over the plan's `defaults.health` over bootwave's defaults. */
export function resolveTiming(
  own: TimingFile,
  planDefaults: TimingFile | undefined,
  startPeriodFallbackMs = defaultProbeTiming.startPeriodMs,
): ProbeTiming {
  const pick = <K extends keyof TimingFile>(key: K) => own[key] ?? planDefaults?.[key];
  return {
    intervalMs: msOr(pick('interval'), defaultProbeTiming.intervalMs),
    timeoutMs: msOr(pick('timeout'), defaultProbeTiming.timeoutMs),
    retries: pick('retries') ?? defaultProbeTiming.retries,
    successThreshold: pick('successThreshold') ?? defaultProbeTiming.successThreshold,
    startPeriodMs: msOr(pick('startPeriod'), startPeriodFallbackMs),
    startIntervalMs: msOr(pick('startInterval'), defaultProbeTiming.startIntervalMs),
  };
}

export function resolveLeaf(check: LeafCheckFile, resolvePath: (p: string) => string): LeafProbe {
  switch (check.kind) {
    case 'http':
      return { ...check, expectStatus: check.expectStatus ?? defaultExpectStatus };
    case 'tcp':
      return { ...check, port: Number(check.port) };
    case 'exec':
      return check.cwd === undefined ? { ...check } : { ...check, cwd: resolvePath(check.cwd) };
    case 'prometheus':
      return { ...check };
  }
}

export function resolveProbe(check: CheckFile, resolvePath: (p: string) => string): ProbeSpec {
  switch (check.kind) {
    case 'composite':
      return { kind: 'composite', checks: check.checks.map((c) => resolveLeaf(c, resolvePath)) };
    case 'staged':
      return {
        kind: 'staged',
        stages: check.stages.map((stage) => ({
          name: stage.name,
          check:
            stage.check.kind === 'composite'
              ? { kind: 'composite', checks: stage.check.checks.map((c) => resolveLeaf(c, resolvePath)) }
              : resolveLeaf(stage.check, resolvePath),
          timeoutMs: ms(stage.timeout),
          critical: stage.critical ?? true,
        })),
      };
    default:
      return resolveLeaf(check, resolvePath);
  }
}

export function resolveHealth(
  health: NonNullable<ServiceFile['health']>,
  plan: PlanFile,
  resolvePath: (p: string) => string,
  startTimeoutMs: number,
): HealthCheck {
  const { check, preChecks, ...timing } = health;
  return {
    probe: resolveProbe(check, resolvePath),
    // Unless a start period is given, a boot keeps probing (fast) until the start timeout: a service that is
    // still coming up is not failing. Crashes still fail at once; set `startPeriod` to fail fast on `retries`.
    timing: resolveTiming(timing, plan.defaults?.health, startTimeoutMs),
    preChecks: (preChecks ?? []).map((pre) => ({
      service: pre.service,
      check: resolveLeaf(pre.check, resolvePath),
      required: pre.required ?? true,
    })),
  };
}

export function parsePortMapping(text: string): PortMapping {
  const [, bracketedIp, bareIp, hostPort, containerPort, protocol] = portMappingPattern.exec(text) ?? [];
  // 127.0.0.1 unless the plan says otherwise: a boot should not expose services to the network by accident. An
  // IPv6 address goes to the engine without its brackets (`[::1]:8080:80` → HostIp "::1").
  return {
    hostIp: bracketedIp ?? bareIp ?? '127.0.0.1',
    hostPort: Number(hostPort),
    containerPort: Number(containerPort),
    protocol: protocol === 'udp' ? 'udp' : 'tcp',
  };
}

type EnvFile = Record<string, string | { secret: SecretSource }>;

/**
 * Splits a plan's env into plain values and secret references; a relative secret file is resolved like every other
 * path of the plan. `secretEnv` stays absent without references, so plans without secrets resolve as before.
 */
function splitEnv(
  env: EnvFile | undefined,
  resolvePath: (p: string) => string,
): { env: Record<string, string>; secretEnv?: Record<string, SecretSource> } {
  const plain: Record<string, string> = {};
  const secret: Record<string, SecretSource> = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (typeof value === 'string') plain[name] = value;
    else secret[name] = resolveSecretSource(value.secret, resolvePath);
  }
  return Object.keys(secret).length > 0 ? { env: plain, secretEnv: secret } : { env: plain };
}

function resolveSecretSource(source: SecretSource, resolvePath: (p: string) => string): SecretSource {
  return 'file' in source ? { file: resolvePath(source.file) } : source;
}

/** The service's one target, with defaults filled in and relative paths resolved. */
export function resolveTarget(service: ServiceFile, plan: PlanFile, resolvePath: (p: string) => string): Target {
  const stopGraceMs = (own: string | number | undefined) => msOr(own ?? plan.defaults?.stopGrace, defaultStopGraceMs);
  if (service.process) {
    const { command, env, cwd, stopGrace } = service.process;
    return {
      driver: 'process',
      command,
      ...splitEnv(env, resolvePath),
      // Relative to the plan's folder by default, as Compose resolves paths against the compose file's.
      cwd: resolvePath(cwd ?? '.'),
      stopGraceMs: stopGraceMs(stopGrace),
    };
  }
  if (service.docker) {
    const d = service.docker;
    const { test, ...timing } = d.healthcheck ?? { test: [] };
    return {
      driver: 'docker',
      image: d.image,
      ...(d.build ? { build: { ...d.build, context: resolvePath(d.build.context) } } : {}),
      ...(d.command ? { command: d.command } : {}),
      ...(d.entrypoint ? { entrypoint: d.entrypoint } : {}),
      ...splitEnv(d.env, resolvePath),
      ...(d.secrets?.length
        ? {
            secrets: d.secrets.map((mount) => ({
              source: resolveSecretSource(mount.source, resolvePath),
              target: mount.target,
            })),
          }
        : {}),
      ports: (d.ports ?? []).map(parsePortMapping),
      volumes: d.volumes ?? [],
      networks: d.networks ?? [],
      labels: d.labels ?? {},
      restart: d.restart ?? 'no',
      ...(d.restartMaxAttempts === undefined ? {} : { restartMaxAttempts: d.restartMaxAttempts }),
      ...(d.healthcheck ? { healthcheck: { test, timing: resolveTiming(timing, plan.defaults?.health) } } : {}),
      stopGraceMs: stopGraceMs(d.stopGrace),
      ...pickDefined({
        networkMode: d.networkMode,
        aliases: d.aliases,
        networkAliases: d.networkAliases,
        anonymousVolumes: d.anonymousVolumes,
        user: d.user,
        workingDir: d.workingDir,
        hostname: d.hostname,
        capAdd: d.capAdd,
        capDrop: d.capDrop,
        privileged: d.privileged,
        readOnly: d.readOnly,
        groupAdd: d.groupAdd?.map(String),
        init: d.init,
        extraHosts: d.extraHosts,
        dns: d.dns,
        sysctls: d.sysctls,
        tmpfs: d.tmpfs,
        ulimits: d.ulimits,
        shmSizeBytes: d.shmSize === undefined ? undefined : parseSize(d.shmSize),
        securityOpt: d.securityOpt,
        stopSignal: d.stopSignal,
      }),
    };
  }
  const k = service.kubernetes ?? {};
  return {
    driver: 'kubernetes',
    manifests: (k.manifests ?? []).map(resolvePath),
    inline: k.inline ?? [],
    namespace: k.namespace ?? defaultNamespace,
    ...(k.context === undefined ? {} : { context: k.context }),
    waitForEndpoints: k.waitForEndpoints ?? false,
  };
}
