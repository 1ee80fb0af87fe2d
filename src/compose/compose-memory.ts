import { isMap, isOne, type Doc, type Report } from './compose-values';
import { dockerMemoryBytes } from './docker-memory';
import { shown } from './engine-keys';

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
      `invalid memory size ${typeof raw_ === 'string' ? `"${raw_}"` : shown(raw_)}: expected e.g. 512m, 1g or bytes`,
    );
  return bytes;
}
