import type { SecretSource } from '../plan/types';
import type { SecretResolver } from './secret-resolver';
import { SecretUnavailableError } from './secret-unavailable-error';

/**
 * The values of a service's secret variables, read now. A file's single trailing newline is dropped (as `$(cat f)`
 * drops it): secret files are usually written with one. Errors name the variable and the reference.
 */
export async function resolveSecretEnv(
  secretEnv: Readonly<Record<string, SecretSource>> | undefined,
  resolver: SecretResolver,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [name, source] of Object.entries(secretEnv ?? {})) {
    try {
      const text = (await resolver.resolve(source)).toString('utf8');
      values[name] = 'env' in source ? text : text.replace(/\r?\n$/, '');
    } catch (error) {
      if (error instanceof SecretUnavailableError)
        throw new SecretUnavailableError(`environment variable ${name}: ${error.message}`, { cause: error });
      throw error;
    }
  }
  return values;
}
