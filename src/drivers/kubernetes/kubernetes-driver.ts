import type { Driver, DriverContext, ReadinessWatch, RuntimeState, StartOutcome, StopOutcome } from '../driver';
import { PlanError, TerminalServiceError, wrapError } from '../../errors';
import { manifestDigest } from '../../plan/manifest-files';
import type { KubernetesTarget, ServiceSpec } from '../../plan/types';
import { apiErrorMessage, connectKube, type KubeClient } from './kube-client';
import { applyOrder, readManifests, type ManifestDoc } from './manifest-reader';
import {
  endpointsStatus,
  objectRef,
  oneShotOutcome,
  rolloutStatus,
  watchedKinds,
  type KubeObject,
  type RolloutStatus,
} from './rollout-status';

/** What was there before a boot applied one object: restored on rollback, or deleted when it was absent. */
interface RollbackEntry {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  previous: KubeObject | null;
}

interface RollbackRecord {
  bootId: string;
  entries: RollbackEntry[];
}

const recordKey = 'record.json';

/** The ConfigMap holding a service's rollback record, so `stop` on another worker after a crash can still restore. */
export function rollbackConfigMapName(plan: string, service: string): string {
  return `bootwave-${plan}-${service}-rollback`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 253);
}

function k8sTarget(service: ServiceSpec): KubernetesTarget {
  if (service.target.driver !== 'kubernetes') throw new Error(`service ${service.name} is not a kubernetes service`);
  return service.target;
}

/** The object's identity only, for read and delete. */
function refOf(e: { apiVersion: string; kind: string; name: string; namespace?: string }): KubeObject {
  return {
    apiVersion: e.apiVersion,
    kind: e.kind,
    metadata: { name: e.name, ...(e.namespace ? { namespace: e.namespace } : {}) },
  };
}

/** A previous object as it can be written back: without the server-owned fields. */
function restorable(obj: KubeObject): KubeObject {
  const { resourceVersion, ...metadata } = obj.metadata as KubeObject['metadata'] & Record<string, unknown>;
  void resourceVersion;
  for (const key of ['uid', 'creationTimestamp', 'managedFields', 'generation', 'selfLink']) delete metadata[key];
  const { status, ...rest } = obj;
  void status;
  return { ...rest, metadata } as KubeObject;
}

/**
 * Applies a service's manifests with server-side apply and reads readiness from watches (kubectl `rollout status`
 * semantics). What each object was before is recorded in a ConfigMap first, so `stop` can put it back.
 */
export class KubernetesDriver implements Driver {
  private readonly clients = new Map<string, Promise<KubeClient>>();

  constructor(private readonly connect: (context?: string) => Promise<KubeClient> = connectKube) {}

  private client(target: KubernetesTarget): Promise<KubeClient> {
    const key = target.context ?? '';
    let client = this.clients.get(key);
    if (!client) {
      client = this.connect(target.context);
      this.clients.set(key, client);
    }
    return client;
  }

  /** Manifests in apply order, each checked against discovery and given the target's namespace when namespaced. */
  private async objects(client: KubeClient, target: KubernetesTarget): Promise<ManifestDoc[]> {
    const docs = applyOrder(await readManifests(target));
    const known = new Set(
      docs.filter((d) => d.object.kind === 'CustomResourceDefinition').map((d) => crdKind(d.object)),
    );
    for (const doc of docs) {
      const { apiVersion, kind } = doc.object;
      const info = await client.resource(apiVersion, kind).catch((cause: unknown) => {
        throw wrapError(`discover ${kind} in ${apiVersion}`, new Error(apiErrorMessage(cause)));
      });
      if (!info) {
        if (known.has(`${apiVersion}/${kind}`)) continue; // served once its CRD, applied earlier, is established
        throw new PlanError(`${doc.source}: unknown kind ${kind} in ${apiVersion}`);
      }
      if (info.namespaced) doc.object.metadata.namespace ??= target.namespace;
      else delete doc.object.metadata.namespace;
    }
    return docs;
  }

  private async readRecord(
    client: KubeClient,
    ctx: DriverContext,
    service: ServiceSpec,
  ): Promise<RollbackRecord | undefined> {
    const target = k8sTarget(service);
    const cm = await client.read(
      refOf({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: rollbackConfigMapName(ctx.plan, service.name),
        namespace: target.namespace,
      }),
    );
    const text = (cm as { data?: Record<string, string> } | undefined)?.data?.[recordKey];
    return text ? (JSON.parse(text) as RollbackRecord) : undefined;
  }

  private async writeRecord(
    client: KubeClient,
    ctx: DriverContext,
    service: ServiceSpec,
    record: RollbackRecord,
  ): Promise<void> {
    const target = k8sTarget(service);
    await client.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: rollbackConfigMapName(ctx.plan, service.name),
        namespace: target.namespace,
        labels: { 'bootwave.dev/plan': ctx.plan, 'bootwave.dev/service': service.name },
      },
      data: { [recordKey]: JSON.stringify(record) },
    });
  }

  async start(ctx: DriverContext, service: ServiceSpec): Promise<StartOutcome> {
    const target = k8sTarget(service);
    // The files are read now: after an in-place edit they no longer hold the definition this start is for (an
    // update's rollback to the old version, a schedule's snapshot), and applying them would pass the new one off
    // as it.
    if (target.manifestDigest !== undefined && currentDigest(target.manifests) !== target.manifestDigest)
      throw new TerminalServiceError(
        `the manifest files of ${service.name} (${target.manifests.join(', ')}) changed after its plan was loaded: they no longer hold the objects this definition is made of, so nothing was applied (give a new version new manifest files to keep the old ones for a rollback)`,
      );
    const client = await this.client(target);
    const docs = await this.objects(client, target);
    // The rollback record lives in the target namespace, so that namespace must exist before anything is applied;
    // when this boot creates it, the record says so and rollback deletes it last.
    const namespace = { apiVersion: 'v1', kind: 'Namespace', name: target.namespace, namespace: undefined };
    const namespaceExisted = (await client.read(refOf(namespace))) !== undefined;
    if (!namespaceExisted)
      await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: target.namespace } });
    // A record from this boot (a retried or resumed start) keeps what was there before the first attempt.
    const earlier = await this.readRecord(client, ctx, service);
    const record: RollbackRecord = earlier?.bootId === ctx.bootId ? earlier : { bootId: ctx.bootId, entries: [] };
    if (!namespaceExisted && !record.entries.some((e) => e.kind === 'Namespace' && e.name === target.namespace)) {
      record.entries.unshift({ ...namespace, previous: null });
    }
    let changed = !namespaceExisted;
    for (const doc of docs) {
      const obj = doc.object;
      const entry = {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
      };
      const before = await client.read(refOf(entry));
      if (
        !record.entries.some(
          (e) =>
            e.kind === entry.kind &&
            e.name === entry.name &&
            e.namespace === entry.namespace &&
            e.apiVersion === entry.apiVersion,
        )
      ) {
        record.entries.push({ ...entry, previous: before ? restorable(before) : null });
        await this.writeRecord(client, ctx, service, record);
      }
      let after: KubeObject;
      try {
        after = await client.apply(obj);
      } catch (cause) {
        throw wrapError(`apply ${objectRef(obj)} from ${doc.source}`, new Error(apiErrorMessage(cause)));
      }
      if (before?.metadata.resourceVersion !== after.metadata.resourceVersion) changed = true;
      if (obj.kind === 'CustomResourceDefinition')
        await this.awaitObjects(client, [after], ctx.signal, () => undefined);
    }
    return { instance: docs.map((d) => objectRef(d.object)).join(','), created: changed, ownerBootId: record.bootId };
  }

  async inspect(ctx: DriverContext, service: ServiceSpec): Promise<RuntimeState> {
    return (await this.inspectLive(ctx, service)).state;
  }

  /**
   * After the boot: bootwave never restarts a workload (its controller does), so what supervision needs is its
   * readiness now, as `rollout status` judges it: a Deployment without available replicas is not ready.
   */
  async inspectSteady(ctx: DriverContext, service: ServiceSpec): Promise<RuntimeState> {
    const { state, live } = await this.inspectLive(ctx, service);
    if (state.phase !== 'running' || service.oneShot) return state;
    const notReady = live
      .map(rolloutStatus)
      .filter((status) => status.state !== 'ready')
      .map((status) => status.detail);
    return notReady.length === 0 ? state : { ...state, notReady: notReady.join('; ') };
  }

  private async inspectLive(
    ctx: DriverContext,
    service: ServiceSpec,
  ): Promise<{ state: RuntimeState; live: KubeObject[] }> {
    const target = k8sTarget(service);
    const client = await this.client(target);
    const docs = await this.objects(client, target);
    const live: KubeObject[] = [];
    for (const doc of docs) {
      const obj = await client.read(doc.object);
      if (!obj) return { state: { phase: 'absent' }, live };
      live.push(obj);
    }
    // The engine completes a one-shot when it exits 0, and fails it fast on any other exit.
    if (service.oneShot) {
      const { outcome, detail } = oneShotOutcome(live);
      if (outcome !== 'running')
        return { state: { phase: 'exited', exitCode: outcome === 'succeeded' ? 0 : 1, logTail: detail }, live };
    }
    const record = await this.readRecord(client, ctx, service);
    return {
      state: {
        phase: 'running',
        detail: `${docs.length} objects applied`,
        ...(record ? { ownerBootId: record.bootId } : {}),
      },
      live,
    };
  }

  async awaitNativeReady(ctx: DriverContext, service: ServiceSpec, watch: ReadinessWatch): Promise<void> {
    const target = k8sTarget(service);
    const client = await this.client(target);
    const docs = await this.objects(client, target);
    const objects = docs.map((d) => d.object);
    await this.awaitObjects(client, objects, watch.signal, watch.onProgress.bind(watch), target.waitForEndpoints);
  }

  /** Resolves when every watched object is ready; rejects with TerminalServiceError on a terminal condition. */
  private awaitObjects(
    client: KubeClient,
    objects: KubeObject[],
    signal: AbortSignal | undefined,
    onProgress: (detail: string) => void,
    waitForEndpoints = false,
  ): Promise<void> {
    type Tracked = { key: string; status: RolloutStatus };
    const tracked: Tracked[] = [];
    const subscriptions: {
      key: string;
      subscribe: (update: (s: RolloutStatus) => void, fail: (e: Error) => void) => Promise<() => void>;
    }[] = [];
    for (const obj of objects) {
      const key = `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
      if ((watchedKinds as readonly string[]).includes(obj.kind)) {
        subscriptions.push({
          key,
          subscribe: (update, fail) =>
            client.listWatch(
              { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace },
              { fieldSelector: `metadata.name=${obj.metadata.name}` },
              (found) =>
                update(
                  found[0] ? rolloutStatus(found[0]) : { state: 'progressing', detail: `${objectRef(obj)}: not found` },
                ),
              fail,
            ),
        });
      } else if (waitForEndpoints && obj.kind === 'Service' && obj.apiVersion === 'v1') {
        subscriptions.push({
          key,
          subscribe: (update, fail) =>
            client.listWatch(
              { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', namespace: obj.metadata.namespace },
              { labelSelector: `kubernetes.io/service-name=${obj.metadata.name}` },
              (slices) => update(endpointsStatus(obj.metadata.name, slices)),
              fail,
            ),
        });
      }
    }
    if (subscriptions.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const stops: (() => void)[] = [];
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        stops.forEach((stop) => stop());
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = (): void => finish(new Error('Kubernetes readiness wait aborted'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      for (const sub of subscriptions) {
        const entry: Tracked = { key: sub.key, status: { state: 'progressing', detail: `${sub.key}: waiting` } };
        tracked.push(entry);
        sub
          .subscribe(
            (status) => {
              if (settled) return;
              const moved = status.detail !== entry.status.detail;
              entry.status = status;
              if (status.state === 'failed') return finish(new TerminalServiceError(status.detail));
              if (moved) onProgress(status.detail);
              if (tracked.length === subscriptions.length && tracked.every((t) => t.status.state === 'ready')) finish();
            },
            (error) => finish(wrapError('watch Kubernetes objects', error)),
          )
          .then((stop) => (settled ? stop() : stops.push(stop)))
          .catch((error: unknown) => finish(wrapError('watch Kubernetes objects', new Error(apiErrorMessage(error)))));
      }
    });
  }

  async stop(ctx: DriverContext, service: ServiceSpec): Promise<StopOutcome> {
    const target = k8sTarget(service);
    const client = await this.client(target);
    const record = await this.readRecord(client, ctx, service);
    let stopped = false;
    if (record) {
      for (const entry of [...record.entries].reverse()) {
        try {
          if (entry.previous === null) {
            stopped = (await client.delete(refOf(entry))) || stopped;
          } else if (await client.read(refOf(entry))) {
            await client.replace(entry.previous);
            stopped = true;
          } else {
            await client.create(entry.previous);
            stopped = true;
          }
        } catch (cause) {
          throw wrapError(`restore ${entry.kind.toLowerCase()}/${entry.name}`, new Error(apiErrorMessage(cause)));
        }
      }
      await client.delete(
        refOf({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: rollbackConfigMapName(ctx.plan, service.name),
          namespace: target.namespace,
        }),
      );
    }
    return { stopped };
  }
}

/** "group/version/Kind" a CRD will serve (its storage version), so its custom objects pass the discovery check. */
export function crdKind(crd: KubeObject): string {
  const spec = crd.spec as
    { group?: string; names?: { kind?: string }; versions?: { name: string; storage?: boolean }[] } | undefined;
  const version = spec?.versions?.find((v) => v.storage)?.name ?? spec?.versions?.[0]?.name;
  return `${spec?.group}/${version}/${spec?.names?.kind}`;
}

/** The manifest files' digest now; a file that went away is a change too (its read error is the start's). */
function currentDigest(manifests: string[]): string | undefined {
  try {
    return manifestDigest(manifests);
  } catch {
    return undefined;
  }
}
