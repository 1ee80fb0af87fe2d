import { createHash } from 'node:crypto';
import type { AgentOptions } from 'node:https';
import type * as ClientNodeModule from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeObject } from './rollout-status';

/** Where an object lives in the API: its REST path and whether it is namespaced. */
export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

/** What the driver needs from the API server; the one place that loads `@kubernetes/client-node`. */
export interface KubeClient {
  /** Discovery: undefined when the API server serves no such kind in that group/version. */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** Server-side apply with field manager `bootwave`, forcing conflicts. */
  apply(obj: KubeObject): Promise<KubeObject>;
  /** The object, or undefined when it does not exist. */
  read(ref: KubeObject): Promise<KubeObject | undefined>;
  /** Puts an object back as recorded (unconditional update). */
  replace(obj: KubeObject): Promise<void>;
  create(obj: KubeObject): Promise<void>;
  /** False when it was already gone. */
  delete(ref: KubeObject): Promise<boolean>;
  /** List then watch from the listed resourceVersion, re-listing when the watch ends; returns a stop function. */
  listWatch(
    ref: { apiVersion: string; kind: string; namespace?: string },
    selector: { fieldSelector?: string; labelSelector?: string },
    onObjects: (objects: KubeObject[]) => void,
    onError: (error: Error) => void,
  ): Promise<() => void>;
}

type ClientNode = typeof ClientNodeModule;

let loaded: Promise<ClientNode> | undefined;
/** ESM-only package: a dynamic import works from both the CommonJS build and jest's VM modules. */
function clientNode(): Promise<ClientNode> {
  loaded ??= import('@kubernetes/client-node');
  return loaded;
}

function statusCode(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown };
  const code = typeof e.code === 'number' ? e.code : e.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The API server's message for a failed request, rather than the client's wrapper text. */
export function apiErrorMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      return body;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The client builds a new undici dispatcher, so a new connection pool, for every request (a private method): each
 * read, apply and watch paid a TLS handshake, and ≈ 700 sockets were open at once while 1,000 Deployments were
 * applied. One dispatcher per cluster, user and TLS material, reused, as client-go reuses its transport.
 */
function reuseConnections(kc: object): void {
  type CreateDispatcher = (cluster: { name?: string } | null, options: AgentOptions) => unknown;
  const internals = kc as { createDispatcher?: CreateDispatcher; getCurrentUser(): { name?: string } | null };
  const create = internals.createDispatcher?.bind(kc);
  if (!create) return; // a client version without it: its own connection handling
  const dispatchers = new Map<string, unknown>();
  internals.createDispatcher = (cluster, options) => {
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = options;
    const material = JSON.stringify([cluster?.name, internals.getCurrentUser()?.name, ca, cert, key, pfx]);
    const id = `${createHash('sha256').update(material).digest('hex')}/${passphrase}/${rejectUnauthorized}/${servername}`;
    if (!dispatchers.has(id)) dispatchers.set(id, create(cluster, options));
    return dispatchers.get(id);
  };
}

/** A client from KUBECONFIG (or ~/.kube/config, or the in-cluster service account), on `context` when given. */
export async function connectKube(context?: string): Promise<KubeClient> {
  const k8s = await clientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault();
  if (context) kc.setCurrentContext(context);
  reuseConnections(kc);
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const watcher = new k8s.Watch(kc);
  // `resource` is the client's own cached discovery; it is protected only because it is an implementation detail.
  const discover = (
    api as unknown as { resource(a: string, k: string): Promise<{ name: string; namespaced: boolean } | undefined> }
  ).resource.bind(api);

  const resource = async (apiVersion: string, kind: string): Promise<ResourceInfo | undefined> => {
    try {
      const r = await discover(apiVersion, kind);
      return r ? { plural: r.name, namespaced: r.namespaced } : undefined;
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw error;
    }
  };
  const path = async (ref: { apiVersion: string; kind: string; namespace?: string }): Promise<string> => {
    const info = await resource(ref.apiVersion, ref.kind);
    if (!info) throw new Error(`unknown kind ${ref.kind} in ${ref.apiVersion}`);
    const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
    return info.namespaced && ref.namespace
      ? `${base}/namespaces/${ref.namespace}/${info.plural}`
      : `${base}/${info.plural}`;
  };

  return {
    resource,
    apply: (obj) =>
      api.patch(obj, undefined, undefined, 'bootwave', true, k8s.PatchStrategy.ServerSideApply) as Promise<KubeObject>,
    read: async (ref) => {
      try {
        return (await api.read(ref as never)) as KubeObject;
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },
    replace: async (obj) => {
      await api.replace(obj, undefined, undefined, 'bootwave');
    },
    create: async (obj) => {
      await api.create(obj, undefined, undefined, 'bootwave');
    },
    delete: async (ref) => {
      try {
        await api.delete(ref, undefined, undefined, undefined, undefined, 'Background');
        return true;
      } catch (error) {
        if (statusCode(error) === 404) return false;
        throw error;
      }
    },
    listWatch: async (ref, selector, onObjects, onError) => {
      const url = await path(ref);
      let stopped = false;
      let abort: AbortController | undefined;
      const cycle = async (): Promise<void> => {
        if (stopped) return;
        const list = (await api.list(
          ref.apiVersion,
          ref.kind,
          ref.namespace,
          undefined,
          undefined,
          undefined,
          selector.fieldSelector,
          selector.labelSelector,
        )) as {
          items: KubeObject[];
          metadata?: { resourceVersion?: string };
        };
        const current = new Map(
          list.items.map((o) => [o.metadata.name, { ...o, apiVersion: ref.apiVersion, kind: ref.kind }]),
        );
        onObjects([...current.values()]);
        if (stopped) return;
        abort = await watcher.watch(
          url,
          { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true, ...selector },
          (phase, obj: KubeObject) => {
            if (phase === 'BOOKMARK' || phase === 'ERROR') return;
            if (phase === 'DELETED') current.delete(obj.metadata.name);
            else current.set(obj.metadata.name, { ...obj, apiVersion: ref.apiVersion, kind: ref.kind });
            onObjects([...current.values()]);
          },
          // The watch ended (expiry, 410 Gone, a dropped connection): list again so nothing in between is missed.
          () => {
            if (!stopped) setTimeout(() => cycle().catch(onError), 200);
          },
        );
      };
      await cycle();
      return () => {
        stopped = true;
        abort?.abort();
      };
    },
  };
}
