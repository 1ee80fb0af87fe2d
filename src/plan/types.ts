/**
 * The resolved plan: what the loader produces from a plan file and what a boot workflow receives as input.
 * Plain JSON only (no Dates, no Maps, no classes) because it crosses the client → workflow → activity
 * boundary and is recorded in the workflow history. Durations are milliseconds, sizes are bytes.
 */

export const DependencyKinds = ['requires', 'wants'] as const;
/** `requires`: the dependent cannot run without it (systemd Requires=); `wants`: best effort (systemd Wants=). */
export type DependencyKind = (typeof DependencyKinds)[number];

export const DependencyConditions = ['started', 'healthy', 'completed'] as const;
/** What the dependency must reach before the dependent starts (Compose service_started/healthy/completed_successfully). */
export type DependencyCondition = (typeof DependencyConditions)[number];

export interface Dependency {
  service: string;
  kind: DependencyKind;
  condition: DependencyCondition;
}

/** Thresholds shared by every health check; defaults live in `src/plan/defaults.ts`. */
export interface ProbeTiming {
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failures after the start period that make the check fail (Compose `retries`, k8s `failureThreshold`). */
  retries: number;
  /** Consecutive successes needed to pass (k8s `successThreshold`). */
  successThreshold: number;
  /** Failures during this window do not count against `retries` (Compose/k8s `start_period`). */
  startPeriodMs: number;
  /** Probe interval during the start period: probe fast while the service is expected to come up. */
  startIntervalMs: number;
}

export interface HttpProbe {
  kind: 'http';
  url: string;
  method?: 'GET' | 'HEAD' | 'POST';
  /** Accepted status codes; empty means any 2xx. */
  expectStatus: number[];
  /** A regular expression the body must match (e.g. `"status":"healthy"`). */
  bodyMatch?: string;
  headers?: Record<string, string>;
}

/** Connects to host:port; with `send`/`expect` it speaks a line protocol, e.g. Redis `PING` → `+PONG`. */
export interface TcpProbe {
  kind: 'tcp';
  host: string;
  port: number;
  send?: string;
  expect?: string;
}

/** Runs argv directly (never through a shell) and passes on exit code 0. */
export interface ExecProbe {
  kind: 'exec';
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * An instant PromQL query against a Prometheus server (`url` is its base URL); passes when every sample of the
 * result compares as asked. Exactly one of `below`, `above`, `equals` is set. An empty result does not pass.
 */
export interface PrometheusProbe {
  kind: 'prometheus';
  url: string;
  query: string;
  below?: number;
  above?: number;
  equals?: number;
}

/** All checks must pass in the same round. */
export interface CompositeProbe {
  kind: 'composite';
  checks: LeafProbe[];
}

export interface ProbeStage {
  name: string;
  check: LeafProbe | CompositeProbe;
  /** Time budget for this stage, from when it begins. */
  timeoutMs: number;
  /** A non-critical stage that fails leaves the service degraded instead of failed. */
  critical: boolean;
}

/** Ordered stages (the Cascade progressive check): each must pass before the next begins. */
export interface StagedProbe {
  kind: 'staged';
  stages: ProbeStage[];
}

export type LeafProbe = HttpProbe | TcpProbe | ExecProbe | PrometheusProbe;
export type ProbeSpec = LeafProbe | CompositeProbe | StagedProbe;

/** A check of a dependency's endpoint made before the service's own check (Cascade `dependency_checks`). */
export interface PreCheck {
  service: string;
  check: LeafProbe;
  /** When false, a failing pre-check is reported but does not block. */
  required: boolean;
}

export interface HealthCheck {
  probe: ProbeSpec;
  timing: ProbeTiming;
  preChecks: PreCheck[];
}

/**
 * Where a secret's value is read, on the worker, when the service starts: the plan and the boot's history hold only
 * this reference, never the value (docs/security.md).
 * - `env`: a variable of the worker's environment;
 * - `file`: a file on the worker (the whole content);
 * - `kubernetes`: one key of a Kubernetes Secret, read through the worker's kubeconfig;
 * - `docker`: a Docker (Compose) secret of the worker, the file `/run/secrets/<name>` as Compose and Swarm mount it
 *   (`BOOTWAVE_DOCKER_SECRETS_DIR` elsewhere): no Swarm is needed.
 */
export type SecretSource =
  | { env: string }
  | { file: string }
  | { kubernetes: { name: string; key: string; namespace?: string; context?: string } }
  | { docker: string };

/** A secret written into a container as a read-only file (Compose `secrets:`, at `/run/secrets/<name>` by default). */
export interface SecretFileMount {
  source: SecretSource;
  /** Absolute path inside the container. */
  target: string;
}

export interface ProcessTarget {
  driver: 'process';
  /** argv; the first element is the executable. */
  command: string[];
  env: Record<string, string>;
  /** Variables whose values are secrets, resolved on the worker at start; absent when the plan names none. */
  secretEnv?: Record<string, SecretSource>;
  cwd?: string;
  /** Grace period between SIGTERM and SIGKILL on stop. */
  stopGraceMs: number;
}

export interface DockerTarget {
  driver: 'docker';
  /** The image the container runs; with `build`, the tag the built image gets. */
  image: string;
  /** How to build `image` when the engine does not have it (Compose's `build`). */
  build?: DockerBuild;
  /**
   * The ID of the image `--build` built from `build` for this boot or update. Part of the service's definition, so
   * an update rolls out a rebuilt image; an update that builds nothing keeps the running one's (`keepBuiltImages`).
   */
  builtImageId?: string;
  command?: string[];
  entrypoint?: string[];
  env: Record<string, string>;
  /** Variables whose values are secrets, resolved on the worker at start; absent when the plan names none. */
  secretEnv?: Record<string, SecretSource>;
  /** Secrets mounted as read-only files; absent when the plan names none. */
  secrets?: SecretFileMount[];
  /** `hostIp:hostPort:containerPort/proto`, normalized by the loader. */
  ports: PortMapping[];
  volumes: string[];
  networks: string[];
  /**
   * The network stack the container uses instead of `networks` (Docker's `--network`): `host`, `none`, `bridge`,
   * `service:<name>` (the network namespace of that service's container) or `container:<name>`.
   */
  networkMode?: string;
  labels: Record<string, string>;
  restart: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  restartMaxAttempts?: number;
  /**
   * The container's own HEALTHCHECK, when the plan (or Compose file) defines one. An empty `test` keeps the image's
   * HEALTHCHECK test (with this timing): the engine's health is still awaited, as Compose's `service_healthy` does.
   */
  healthcheck?: { test: string[]; timing: ProbeTiming };
  stopGraceMs: number;
  /** More names other containers reach this one by, on every network it joins (Compose `container_name`, links). */
  aliases?: string[];
  /** Names it has on one of its `networks` only (Compose's per-network `aliases`), by network. */
  networkAliases?: Record<string, string[]>;
  /** Container paths that get an anonymous volume (Compose `- /data`), removed with the container. */
  anonymousVolumes?: string[];
  /** Settings passed to the engine as written (Compose keys of the same meaning). */
  user?: string;
  workingDir?: string;
  hostname?: string;
  capAdd?: string[];
  capDrop?: string[];
  privileged?: boolean;
  /** The container's root filesystem is mounted read-only (Compose `read_only`). */
  readOnly?: boolean;
  /** Extra groups the container's user belongs to (Compose `group_add`). */
  groupAdd?: string[];
  init?: boolean;
  extraHosts?: string[];
  dns?: string[];
  sysctls?: Record<string, string>;
  /** Container path → mount options (`size=64m`), as Docker's `--tmpfs`. */
  tmpfs?: Record<string, string>;
  ulimits?: Ulimit[];
  shmSizeBytes?: number;
  securityOpt?: string[];
  stopSignal?: string;
}

/** A `docker build` of a service's image: the context folder (absolute once loaded) and the builder's options. */
export interface DockerBuild {
  context: string;
  /** Relative to the context; `Dockerfile` when absent. */
  dockerfile?: string;
  /** Build arguments (`ARG`), as written: they are part of the plan, so of the boot's history. */
  args?: Record<string, string>;
  /** The stage of a multi-stage Dockerfile to build. */
  target?: string;
}

/** A resource limit of the container's processes (`nofile`, `nproc`, ...). */
export interface Ulimit {
  name: string;
  soft: number;
  hard: number;
}

export interface PortMapping {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export interface KubernetesTarget {
  driver: 'kubernetes';
  /** Manifest files or folders, resolved to absolute paths by the loader. */
  manifests: string[];
  /** A digest of the manifest files' content when the plan was loaded: an in-place edit changes the service. */
  manifestDigest?: string;
  /** Inline YAML documents. */
  inline: string[];
  namespace: string;
  context?: string;
  /** Wait for Service endpoints as well as workload rollout. */
  waitForEndpoints: boolean;
}

export type Target = ProcessTarget | DockerTarget | KubernetesTarget;
export type DriverName = Target['driver'];

export interface ServiceSpec {
  name: string;
  /** Name of the wave the service belongs to. */
  wave: string;
  target: Target;
  dependsOn: Dependency[];
  /** A failing non-critical service leaves the boot degraded, not failed. */
  critical: boolean;
  /** Runs to completion (a migration); must exit 0 before `completed` dependents start. */
  oneShot: boolean;
  health?: HealthCheck;
  /** Budget for the service to become healthy (or complete), from its start. */
  startTimeoutMs: number;
  /** Expected time from start to healthy; used for the critical path. */
  expectedStartMs: number;
  memoryBytes?: number;
  profiles: string[];
  /** Life after the boot (restart policy, crash-loop limit, breakers); absent in plans resolved before it existed. */
  supervision?: SupervisionSpec;
  /**
   * The host it runs on (its own `host:`, else its wave's): its start, probe, stop and watch go to that host's
   * task queue (`src/placement/`). Absent: the shared queue.
   */
  host?: string;
}

// --- Supervision (issue 11) ---
export const RestartPolicies = ['no', 'on-failure', 'always', 'unless-stopped'] as const;
/** As Compose names them; `unless-stopped` differs from `always` only after an operator's `stop`. */
export type RestartPolicy = (typeof RestartPolicies)[number];

export const DependencyFailureActions = ['restart', 'stop', 'ignore'] as const;
/** When a `requires` dependency goes down: restart once it recovers (PartOf=), stop now (BindsTo=), or only show it. */
export type DependencyFailureAction = (typeof DependencyFailureActions)[number];

export interface SupervisionSpec {
  restart: RestartPolicy;
  backoff: { initialMs: number; maxMs: number; factor: number };
  /** More than `startLimitBurst` restarts within `startLimitIntervalMs` is a crash loop (systemd's StartLimit*). */
  startLimitBurst: number;
  startLimitIntervalMs: number;
  onDependencyFailure: DependencyFailureAction;
  /** Per dependency edge: open after `failureThreshold` failures within `windowMs`, half-open after `openMs`. */
  breaker: { failureThreshold: number; windowMs: number; openMs: number };
  /**
   * On demand (Cascade §5.2): not started by the boot; started with its dependencies when asked; stopped after
   * `idleTimeoutMs` without TCP connections to its ports; at most `maxActive` running per group (LRU eviction).
   */
  lazy?: { group: string; maxActive?: number; idleTimeoutMs?: number };
}

export interface WaveSpec {
  name: string;
  /** Position in boot order, from 0. */
  index: number;
  memoryBudgetBytes?: number;
  /** Budget for the whole wave from when it starts. */
  deadlineMs?: number;
  /** The host of its services that name none. */
  host?: string;
  /** Service names in topological order. */
  services: string[];
}

// --- Maintenance windows of rolling updates (issue 12) ---
/** Days as plans write them; the index is JavaScript's `getUTCDay()` (0 = Sunday). */
export const Weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof Weekdays)[number];

/** Opens at `startMinute` after 00:00 UTC on each of `days` (0 = Sunday) and stays open `durationMs`. */
export interface MaintenanceWindow {
  days: number[];
  startMinute: number;
  durationMs: number;
}

/** When rolling updates of the plan may run; an update outside every window waits for the next or is skipped. */
export interface UpdateWindowSettings {
  windows: MaintenanceWindow[];
  outsideWindow: 'wait' | 'skip';
}

export interface ResolvedPlan {
  /** Stable plan name; part of every workflow ID and resource name. */
  name: string;
  /** Where the plan came from (absolute path), for messages only. */
  source: string;
  waves: WaveSpec[];
  /** Every service, in topological order. */
  services: ServiceSpec[];
  /** How `bootwave update` rolls changes out; absent: the defaults of `src/update/update-settings.ts`. */
  update?: UpdatePolicy;
}

// --- Rolling updates (issue 12) ---
export const UpdateOrders = ['auto', 'start-first', 'stop-first'] as const;
/**
 * `start-first`: the new version starts beside the old one and takes over once healthy (no downtime); `stop-first`:
 * the old one stops first (downtime until the new one is healthy); `auto`: start-first where two instances can run
 * at once (a process: ports that differ; a container: no host port in common and no volume), else stop-first.
 */
export type UpdateOrder = (typeof UpdateOrders)[number];

/** A batch size: a count of services, or a percent of a wave's changed services (rounded up, at least 1). */
export type BatchSize = { count: number } | { percent: number };

export interface UpdatePolicy {
  batchSize?: BatchSize;
  /** Health window after a new version is ready: its steady check must keep passing this long. */
  observeMs?: number;
  /** Wait between batches. */
  pauseMs?: number;
  /** Roll the whole update back when more than this percent of a batch fails (0: any failure). */
  failureThresholdPercent?: number;
  order?: UpdateOrder;
  /** When updates may run (`update.windows`, `update.outsideWindow`); absent: any time. */
  maintenance?: UpdateWindowSettings;
}
