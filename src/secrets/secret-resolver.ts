import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretSource } from '../plan/types';
import { describeSecret } from './describe-secret';
import { kubernetesSecrets, type ReadKubernetesSecret } from './kubernetes-secrets';
import { SecretUnavailableError } from './secret-unavailable-error';

/** Resolves secret references on the worker, at start time: the values exist only here and in the service. */
export interface SecretResolver {
  /** The secret's bytes; rejects with `SecretUnavailableError`, naming the reference, when it cannot be read. */
  resolve(source: SecretSource): Promise<Buffer>;
}

export interface SecretResolverDeps {
  env?: Readonly<Record<string, string | undefined>>;
  readFile?: (path: string) => Promise<Buffer>;
  readKubernetesSecret?: ReadKubernetesSecret;
  /** Where the worker's Docker secrets are: `/run/secrets` as Compose and Swarm mount them. */
  dockerSecretsDir?: string;
}

/** Where Compose and Swarm put a container's secrets; a worker running in Compose finds its own there. */
export const defaultDockerSecretsDir = '/run/secrets';

/** The resolver a worker uses: its own environment, its files, its kubeconfig's clusters. */
export function createSecretResolver(deps: SecretResolverDeps = {}): SecretResolver {
  const env = deps.env ?? process.env;
  const read = deps.readFile ?? ((path: string) => readFile(path));
  let kube = deps.readKubernetesSecret;
  const dockerDir = deps.dockerSecretsDir ?? env.BOOTWAVE_DOCKER_SECRETS_DIR ?? defaultDockerSecretsDir;

  const fromFile = async (path: string, source: SecretSource): Promise<Buffer> => {
    try {
      return await read(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
      throw new SecretUnavailableError(`secret from ${describeSecret(source)} is unavailable: ${reason}`);
    }
  };

  return {
    async resolve(source) {
      if ('env' in source) {
        const value = env[source.env];
        if (value === undefined)
          throw new SecretUnavailableError(
            `secret from ${describeSecret(source)} is unavailable: it is not set on this worker`,
          );
        return Buffer.from(value);
      }
      if ('file' in source) return fromFile(source.file, source);
      if ('docker' in source) return fromFile(join(dockerDir, source.docker), source);
      const { name, key, namespace = 'default', context } = source.kubernetes;
      kube ??= kubernetesSecrets();
      let value: Buffer | undefined;
      try {
        value = await kube({ name, key, namespace, ...(context ? { context } : {}) });
      } catch (error) {
        throw new SecretUnavailableError(
          `secret from ${describeSecret(source)} is unavailable: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (value === undefined)
        throw new SecretUnavailableError(
          `secret from ${describeSecret(source)} is unavailable: the Secret has no such key`,
        );
      return value;
    },
  };
}
