import type { SecretSource } from '../plan/types';

/** A secret reference as messages name it: where the value lives, never the value. */
export function describeSecret(source: SecretSource): string {
  if ('env' in source) return `the worker's environment variable ${source.env}`;
  if ('file' in source) return `the file ${source.file} on the worker`;
  if ('docker' in source) return `the Docker secret ${source.docker}`;
  const { name, key, namespace, context } = source.kubernetes;
  const where = `${namespace ?? 'default'}/${name}`;
  return `key ${key} of the Kubernetes Secret ${where}${context ? ` (context ${context})` : ''}`;
}
