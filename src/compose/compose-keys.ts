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
  scale: { severity: 'error', reason: 'not supported by bootwave (one container per service)' },
  pid: { severity: 'warning', reason: 'not applied by bootwave: the container gets its own PID namespace' },
  ipc: { severity: 'warning', reason: 'not applied by bootwave: the container gets its own IPC namespace' },
  devices: { severity: 'warning', reason: 'not applied by bootwave: no host device is passed to the container' },
  volumes_from: { severity: 'warning', reason: 'not applied by bootwave: name the shared volumes instead' },
  dns_search: { severity: 'warning', reason: 'not applied by bootwave: the engine default search domains are used' },
  links: { severity: 'warning', reason: 'not applied: containers are reached by service name on the plan network' },
  expose: { severity: 'warning', reason: 'not applied: containers on the plan network reach every port' },
  logging: { severity: 'warning', reason: 'not applied: the engine default log driver is used' },
  tty: { severity: 'warning', reason: 'not applied: containers run without a terminal' },
  stdin_open: { severity: 'warning', reason: 'not applied: containers run without stdin' },
  pull_policy: {
    severity: 'warning',
    reason: 'not applied: a missing image is pulled once, else the local one is used',
  },
  platform: { severity: 'warning', reason: 'not applied: the engine platform is used' },
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
