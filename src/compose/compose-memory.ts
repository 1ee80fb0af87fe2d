import { isMap, isOne, shown, type Doc, type Report } from './compose-values';
import { dockerMemoryBytes } from './docker-memory';

/** The keys Compose knows under `deploy.resources`. */
const resourceKeys: Readonly<Record<string, readonly string[]>> = {
  limits: ['cpus', 'memory', 'pids'],
  reservations: ['cpus', 'memory', 'generic_resources', 'devices'],
};

/**
 * The memory limit in bytes, from `deploy.resources.limits.memory` or `mem_limit`; other `deploy` keys are errors
 * (but `replicas: 1`), other resource settings are warned about.
 */
export function memoryOf(raw: Doc, path: string, error: Report, warn: Report): number | undefined {
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
    // Compose's schema: a misspelt key (`memroy`) is an error, not a limit quietly left off.
    for (const [key, known] of Object.entries(resources)) {
      const at = `${path}.deploy.resources.${key}`;
      const allowed = resourceKeys[key];
      if (key.startsWith('x-')) continue;
      if (!allowed) error(at, `unknown key (expected ${Object.keys(resourceKeys).join(', ')})`);
      else if (isMap(known))
        for (const inner of Object.keys(known))
          if (!allowed.includes(inner) && !inner.startsWith('x-'))
            error(`${at}.${inner}`, `unknown key (expected ${allowed.join(', ')})`);
          else if (!(key === 'limits' && inner === 'memory'))
            warn(`${at}.${inner}`, 'ignored: only limits.memory is applied');
    }
  }
  const limits = isMap(resources?.limits) ? resources.limits : undefined;
  if (limits?.memory !== undefined && raw.mem_limit !== undefined) {
    const [deployBytes, memLimitBytes] = [dockerMemoryBytes(limits.memory), dockerMemoryBytes(raw.mem_limit)];
    if (deployBytes !== undefined && memLimitBytes !== undefined && deployBytes !== memLimitBytes)
      error(`${path}.mem_limit`, `differs from deploy.resources.limits.memory: give the limit once`);
  }
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
