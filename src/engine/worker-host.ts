import { hostname } from 'node:os';
import { namePattern } from '../plan/name-pattern';

/** The environment variable `bootwave worker --host` sets: the host this worker serves besides the shared queue. */
export const workerHostEnvVar = 'BOOTWAVE_HOST';

/** The host a worker serves (`--host`, else `BOOTWAVE_HOST`), checked; undefined for a worker of the shared queue only. */
export function workerHostFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env[workerHostEnvVar]?.trim();
  if (!host) return undefined;
  if (!namePattern.test(host))
    throw new Error(
      `${workerHostEnvVar} (--host) ${JSON.stringify(host)} is not a host name: plans name hosts with lowercase ` +
        'letters, digits and "-", starting and ending with a letter or digit',
    );
  return host;
}

/**
 * Temporal's identity of a worker serving a host: the SDK's default (`<pid>@<machine>`) plus the host, so the
 * history (and the Web UI) shows on which host each activity ran.
 */
export function workerIdentity(host: string | undefined): string | undefined {
  return host === undefined ? undefined : `${process.pid}@${hostname()} host=${host}`;
}
