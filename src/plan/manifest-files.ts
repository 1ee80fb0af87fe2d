// Reads manifest files for the loader and the Kubernetes driver: the plan names paths, their content is read here.
// eslint-disable-next-line no-restricted-imports
import { createHash } from 'node:crypto';
// eslint-disable-next-line no-restricted-imports
import { readdirSync, readFileSync, statSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { join } from 'node:path';
import { manifestExtensions } from './manifest-documents';

/** A manifest entry's files, as `kubectl apply -f dir/` takes a folder: manifest extensions, sorted by name. */
export function manifestFiles(path: string): string[] {
  return statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((name) => manifestExtensions.some((ext) => name.endsWith(ext)))
        .sort()
        .map((name) => join(path, name))
    : [path];
}

/**
 * What the manifest files say now: part of the service's definition, so a file edited in place is a changed
 * service to `update` (the plan names only the paths). The loader checked them readable just before.
 */
export function manifestDigest(entries: string[]): string {
  const hash = createHash('sha256');
  for (const file of entries.flatMap(manifestFiles))
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}
