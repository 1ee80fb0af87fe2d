/**
 * What bootwave does with each Compose service key it does not map. Errors: booting without the key would run a
 * different container (another user, device, build, namespace...), so the import refuses. Warnings: the key only
 * affects how Compose itself names, logs or attaches to things, and a local boot behaves the same without it.
 * Keys not listed here and not mapped are errors too, so nothing is dropped silently: the Compose Specification's
 * other keys as unsupported, anything else as unknown (a typo, with the closest key suggested).
 */
export const mappedServiceKeys = new Set([
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'volumes',
  'networks',
  'depends_on',
  'healthcheck',
  'restart',
  'deploy',
  'mem_limit',
  'profiles',
  'labels',
  'stop_grace_period',
  'container_name',
  'secrets',
  'configs',
  'extends',
  'x-bootwave',
  // Network aliases of the linked service, and a dependency on it (as Compose adds one).
  'links',
  // The plan's docker.networkMode; `service:<name>` adds a dependency on that service, as Compose does.
  'network_mode',
  // 1 (one container), as deploy.replicas: 1; any other count is an error.
  'scale',
  // Passed to the engine as written (src/drivers/docker/container-spec.ts).
  'user',
  'working_dir',
  'hostname',
  'cap_add',
  'cap_drop',
  'privileged',
  'read_only',
  'group_add',
  'init',
  'extra_hosts',
  'dns',
  'sysctls',
  'tmpfs',
  'ulimits',
  'shm_size',
  'security_opt',
  'stop_signal',
]);

export const unsupportedServiceKeys: Record<string, { severity: 'error' | 'warning'; reason: string }> = {
  pid: { severity: 'warning', reason: 'not applied by bootwave: the container gets its own PID namespace' },
  ipc: { severity: 'warning', reason: 'not applied by bootwave: the container gets its own IPC namespace' },
  devices: { severity: 'warning', reason: 'not applied by bootwave: no host device is passed to the container' },
  volumes_from: { severity: 'warning', reason: 'not applied by bootwave: name the shared volumes instead' },
  dns_search: { severity: 'warning', reason: 'not applied by bootwave: the engine default search domains are used' },
  expose: { severity: 'warning', reason: 'not applied: containers on the plan network reach every port' },
  logging: { severity: 'warning', reason: 'not applied: the engine default log driver is used' },
  tty: { severity: 'warning', reason: 'not applied: containers run without a terminal' },
  stdin_open: { severity: 'warning', reason: 'not applied: containers run without stdin' },
  pull_policy: {
    severity: 'warning',
    reason: 'not applied: a missing image is pulled once, else the local one is used',
  },
  platform: { severity: 'warning', reason: 'not applied: the engine platform is used' },
  // How `docker compose up` itself behaves: its log output and its file watching (Compose Watch).
  attach: { severity: 'warning', reason: 'not applied: bootwave shows no container logs while it boots' },
  develop: { severity: 'warning', reason: 'not applied: bootwave does not watch files (Compose Watch)' },
  // Resource settings other than the memory limit, as under deploy.resources: the container runs unconstrained.
  cpus: { severity: 'warning', reason: 'ignored: only the memory limit is applied (no CPU limit is set)' },
  cpu_shares: { severity: 'warning', reason: 'ignored: only the memory limit is applied (no CPU weight is set)' },
  cpu_quota: { severity: 'warning', reason: 'ignored: only the memory limit is applied (no CPU quota is set)' },
  cpu_period: { severity: 'warning', reason: 'ignored: only the memory limit is applied (no CPU period is set)' },
  cpuset: { severity: 'warning', reason: 'ignored: only the memory limit is applied (the container may use any CPU)' },
  mem_reservation: {
    severity: 'warning',
    reason: 'ignored: only the memory limit is applied (no memory reservation is set)',
  },
  pids_limit: { severity: 'warning', reason: 'ignored: only the memory limit is applied (no PID limit is set)' },
};

export const mappedTopLevelKeys = new Set([
  'name',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
  'x-bootwave',
  'version',
]);

/**
 * The Compose Specification's other service keys (its schema, `definitions.service`): bootwave maps none of them,
 * so a file using one is refused as unsupported; a key outside every list is not Compose at all (a typo).
 */
export const otherSpecServiceKeys = new Set([
  'annotations',
  'blkio_config',
  'cgroup',
  'cgroup_parent',
  'cpu_count',
  'cpu_percent',
  'cpu_rt_period',
  'cpu_rt_runtime',
  'credential_spec',
  'device_cgroup_rules',
  'dns_opt',
  'domainname',
  'external_links',
  'gpus',
  'isolation',
  'label_file',
  'mac_address',
  'mem_swappiness',
  'memswap_limit',
  'models',
  'oom_kill_disable',
  'oom_score_adj',
  'post_start',
  'pre_start',
  'pre_stop',
  'provider',
  'pull_refresh_after',
  'runtime',
  'storage_opt',
  'use_api_socket',
  'userns_mode',
  'uts',
]);

/** Every service key of the Compose Specification: what a typo's closest match is looked for among. */
export const specServiceKeys = [
  ...[...mappedServiceKeys].filter((key) => key !== 'x-bootwave'),
  ...Object.keys(unsupportedServiceKeys),
  ...otherSpecServiceKeys,
];

/** Top-level keys of the Compose Specification that bootwave does not map. */
export const otherSpecTopLevelKeys = new Set(['models']);

/** Every top-level key of the Compose Specification (`include` is resolved before the mapping sees the file). */
export const specTopLevelKeys = [
  ...[...mappedTopLevelKeys].filter((key) => key !== 'x-bootwave'),
  'include',
  ...otherSpecTopLevelKeys,
];
