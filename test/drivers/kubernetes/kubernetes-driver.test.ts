import { KubernetesDriver } from '../../../src/drivers/kubernetes/kubernetes-driver';
import type { KubeClient } from '../../../src/drivers/kubernetes/kube-client';
import type { KubeObject } from '../../../src/drivers/kubernetes/rollout-status';
import type { ServiceSpec } from '../../../src/plan/types';

/** An in-memory API server: enough to check the driver's bookkeeping; the itest covers the real one. */
class FakeKube implements KubeClient {
  objects = new Map<string, KubeObject>();
  private version = 0;
  private listeners = new Set<() => void>();
  private key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  async resource(apiVersion: string, kind: string) {
    return kind === 'Foo' ? undefined : { plural: `${kind.toLowerCase()}s`, namespaced: kind !== 'Namespace' };
  }
  async apply(obj: KubeObject) {
    const old = this.objects.get(this.key(obj));
    const strip = (o?: KubeObject) =>
      JSON.stringify({
        ...o,
        metadata: { ...o?.metadata, resourceVersion: undefined, generation: undefined },
        status: undefined,
      });
    if (old && strip(old) === strip({ ...obj, status: old.status })) return old;
    const next = {
      ...obj,
      metadata: {
        ...obj.metadata,
        resourceVersion: String(++this.version),
        generation: (old?.metadata.generation ?? 0) + 1,
      },
      status: old?.status,
    };
    this.objects.set(this.key(obj), next);
    this.listeners.forEach((l) => l());
    return next;
  }
  async read(ref: KubeObject) {
    return this.objects.get(this.key(ref));
  }
  async replace(obj: KubeObject) {
    this.objects.set(this.key(obj), { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.version) } });
  }
  async create(obj: KubeObject) {
    await this.replace(obj);
  }
  async delete(ref: KubeObject) {
    return this.objects.delete(this.key(ref));
  }
  setStatus(kind: string, namespace: string, name: string, status: Record<string, unknown>) {
    const o = this.objects.get(`${kind}/${namespace}/${name}`)!;
    o.status = status;
    this.listeners.forEach((l) => l());
  }
  async listWatch(
    ref: { kind: string; namespace?: string },
    selector: { fieldSelector?: string },
    onObjects: (o: KubeObject[]) => void,
  ) {
    const name = selector.fieldSelector?.replace('metadata.name=', '');
    const emit = () =>
      onObjects([...this.objects.values()].filter((o) => o.kind === ref.kind && o.metadata.name === name));
    this.listeners.add(emit);
    emit();
    return () => void this.listeners.delete(emit);
  }
}

const svc = (inline: string[]): ServiceSpec => ({
  name: 'web',
  wave: 'w',
  target: { driver: 'kubernetes', manifests: [], inline, namespace: 'ns', waitForEndpoints: false },
  dependsOn: [],
  critical: true,
  oneShot: false,
  startTimeoutMs: 1_000,
  expectedStartMs: 1_000,
  profiles: [],
});
const ctx = { plan: 'p', bootId: 'b1' };
const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n';

describe('KubernetesDriver (fake API server)', () => {
  it('waits for the controller status, not for the apply', async () => {
    const kube = new FakeKube();
    const driver = new KubernetesDriver(async () => kube);
    expect(await driver.start(ctx, svc([deployment]))).toEqual({
      instance: 'deployment/web',
      created: true,
      ownerBootId: 'b1',
    });
    expect(await driver.start(ctx, svc([deployment]))).toEqual({
      instance: 'deployment/web',
      created: false,
      ownerBootId: 'b1',
    });
    const progress: string[] = [];
    let ready = false;
    const waiting = driver
      .awaitNativeReady(ctx, svc([deployment]), {
        signal: new AbortController().signal,
        onProgress: (d) => progress.push(d),
      })
      .then(() => (ready = true));
    await new Promise((r) => setImmediate(r));
    expect(ready).toBe(false);
    kube.setStatus('Deployment', 'ns', 'web', {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 1,
    });
    await new Promise((r) => setImmediate(r));
    expect(ready).toBe(false);
    kube.setStatus('Deployment', 'ns', 'web', {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    });
    await waiting;
    expect(progress).toEqual([
      'deployment/web: waiting for the controller to observe generation 1',
      'deployment/web: 1 of 2 updated replicas available',
      'deployment/web: 2 of 2 replicas available',
    ]);
  });

  it('restores what was there before and deletes what it created, once', async () => {
    const kube = new FakeKube();
    const driver = new KubernetesDriver(async () => kube);
    await kube.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'ns' },
      data: { mode: 'old' },
    });
    const service = svc(['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {mode: new}\n', deployment]);
    await driver.start(ctx, service);
    expect(kube.objects.get('ConfigMap/ns/cfg')?.['data']).toEqual({ mode: 'new' });
    expect(kube.objects.has('ConfigMap/ns/bootwave-p-web-rollback')).toBe(true);
    expect(await driver.stop(ctx, service)).toEqual({ stopped: true });
    expect(kube.objects.get('ConfigMap/ns/cfg')?.['data']).toEqual({ mode: 'old' });
    expect([...kube.objects.keys()]).toEqual(['ConfigMap/ns/cfg']);
    expect(await driver.stop(ctx, service)).toEqual({ stopped: false });
  });

  it('rejects a kind the API server does not serve, naming the document', async () => {
    const driver = new KubernetesDriver(async () => new FakeKube());
    await expect(
      driver.start(ctx, svc(['apiVersion: apps/v1\nkind: Foo\nmetadata: {name: x}\n'])),
    ).rejects.toMatchObject({
      name: 'PlanError',
      message: 'inline manifest 1 (document 1): unknown kind Foo in apps/v1',
    });
  });
});
