import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretFileMount } from '../plan/types';
import type { SecretResolver } from './secret-resolver';
import { SecretUnavailableError } from './secret-unavailable-error';

/**
 * Writes a container's secret files on the worker (a folder only the worker's user may enter, files read-only) and
 * returns the read-only bind mounts that put each at its target, as Compose mounts a file secret. The folder is
 * the service's own and is rewritten on every start, so a changed secret reaches a new container.
 */
export async function writeSecretFiles(
  dir: string,
  mounts: readonly SecretFileMount[],
  resolver: SecretResolver,
): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const binds: string[] = [];
  for (const [index, mount] of mounts.entries()) {
    let value: Buffer;
    try {
      value = await resolver.resolve(mount.source);
    } catch (error) {
      if (error instanceof SecretUnavailableError)
        throw new SecretUnavailableError(`secret file ${mount.target}: ${error.message}`, { cause: error });
      throw error;
    }
    const file = join(dir, String(index));
    // Readable by the container's user whoever it is (Compose keeps a file secret's own mode); the folder keeps
    // other users of the worker's machine out.
    await writeFile(file, value, { mode: 0o444 });
    binds.push(`${file}:${mount.target}:ro`);
  }
  return binds;
}

/** Removes a service's secret files; nothing there is fine. */
export async function removeSecretFiles(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
