/**
 * What bootwave does with each Compose service key it does not map. Errors: booting without the key would run a
 * different container (another user, device, build, namespace...), so the import refuses. Warnings: the key only
 * affects how Compose itself names, logs or attaches to things, and a local boot behaves the same without it.
 * Keys not listed here and not mapped are errors too ("unknown"), so nothing is dropped silently.
 */
export const mappedServiceKeys = new Set([
  'image',
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
  // 1 (one container), as deploy.replicas: 1; any other count is an error.
  'scale',
  // Passed to the engine as written (src/drivers/docker/container-spec.ts).
  'user',
  'working_dir',
  'hostname',
  'cap_add',
  'cap_drop',
  'privileged',
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
  build: { severity: 'error', reason: 'not supported by bootwave (build images before booting)' },
  network_mode: {
    severity: 'error',
    reason: 'not supported by bootwave: services join the plan network, where probes and dependents reach them',
  },
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
