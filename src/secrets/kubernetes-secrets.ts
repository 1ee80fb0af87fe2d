import { apiErrorMessage, connectKube, type KubeClient } from '../drivers/kubernetes/kube-client';

/** Reads one key of a Kubernetes Secret; undefined when the Secret or the key does not exist. */
export type ReadKubernetesSecret = (ref: {
  name: string;
  key: string;
  namespace: string;
  context?: string;
}) => Promise<Buffer | undefined>;

/**
 * Kubernetes Secrets read through the worker's kubeconfig (`KUBECONFIG`, ~/.kube/config or in-cluster), one client
 * per context, connected on first use. The API server's errors are kept, without the object: they never hold data.
 */
export function kubernetesSecrets(
  connect: (context?: string) => Promise<KubeClient> = connectKube,
): ReadKubernetesSecret {
  const clients = new Map<string, Promise<KubeClient>>();
  return async ({ name, key, namespace, context }) => {
    const id = context ?? '';
    if (!clients.has(id)) clients.set(id, connect(context));
    const client = await clients.get(id)!;
    let secret: { data?: Record<string, string>; stringData?: Record<string, string> } | undefined;
    try {
      secret = (await client.read({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace },
      })) as typeof secret;
    } catch (error) {
      throw new Error(apiErrorMessage(error), { cause: error });
    }
    const encoded = secret?.data?.[key];
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64');
  };
}
