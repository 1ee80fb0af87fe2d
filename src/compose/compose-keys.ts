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
  'x-bootwave',
]);

export const unsupportedServiceKeys: Record<string, { severity: 'error' | 'warning'; reason: string }> = {
  build: { severity: 'error', reason: 'not supported by bootwave (build images before booting)' },
  user: { severity: 'error', reason: 'not supported by bootwave (the image default user runs)' },
  working_dir: { severity: 'error', reason: 'not supported by bootwave (the image default working directory is used)' },
  privileged: { severity: 'error', reason: 'not supported by bootwave' },
  cap_add: { severity: 'error', reason: 'not supported by bootwave' },
  cap_drop: { severity: 'error', reason: 'not supported by bootwave' },
  devices: { severity: 'error', reason: 'not supported by bootwave' },
  network_mode: { severity: 'error', reason: 'not supported by bootwave (services join the plan network)' },
  pid: { severity: 'error', reason: 'not supported by bootwave' },
  ipc: { severity: 'error', reason: 'not supported by bootwave' },
  secrets: { severity: 'error', reason: 'not supported by bootwave (mount the files as volumes)' },
  configs: { severity: 'error', reason: 'not supported by bootwave (mount the files as volumes)' },
  extends: { severity: 'error', reason: 'not supported by bootwave (inline the extended service)' },
  volumes_from: { severity: 'error', reason: 'not supported by bootwave (name the volumes)' },
  tmpfs: { severity: 'error', reason: 'not supported by bootwave' },
  sysctls: { severity: 'error', reason: 'not supported by bootwave' },
  ulimits: { severity: 'error', reason: 'not supported by bootwave' },
  security_opt: { severity: 'error', reason: 'not supported by bootwave' },
  extra_hosts: { severity: 'error', reason: 'not supported by bootwave' },
  dns: { severity: 'error', reason: 'not supported by bootwave' },
  init: { severity: 'error', reason: 'not supported by bootwave' },
  shm_size: { severity: 'error', reason: 'not supported by bootwave' },
  scale: { severity: 'error', reason: 'not supported by bootwave (one container per service)' },
  container_name: { severity: 'warning', reason: 'ignored: bootwave names containers bootwave-<plan>-<service>' },
  hostname: { severity: 'warning', reason: 'ignored: containers are reached by service name on the plan network' },
  links: { severity: 'warning', reason: 'ignored: containers are reached by service name on the plan network' },
  expose: { severity: 'warning', reason: 'ignored: containers on the plan network reach every port' },
  logging: { severity: 'warning', reason: 'ignored: the engine default log driver is used' },
  tty: { severity: 'warning', reason: 'ignored: containers run without a terminal' },
  stdin_open: { severity: 'warning', reason: 'ignored: containers run without stdin' },
  pull_policy: { severity: 'warning', reason: 'ignored: a missing image is pulled once, else the local one is used' },
  platform: { severity: 'warning', reason: 'ignored: the engine platform is used' },
  stop_signal: { severity: 'warning', reason: 'ignored: containers are stopped with the image stop signal' },
};

export const mappedTopLevelKeys = new Set(['name', 'services', 'networks', 'volumes', 'x-bootwave', 'version']);
