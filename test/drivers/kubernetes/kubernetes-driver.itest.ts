import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { KubernetesDriver } from '../../../src/drivers/kubernetes/kubernetes-driver';
import { connectKube, type KubeClient } from '../../../src/drivers/kubernetes/kube-client';
import type { KubeObject } from '../../../src/drivers/kubernetes/rollout-status';
import type { KubernetesTarget, ServiceSpec } from '../../../src/plan/types';
import { kubeCluster, testNamespace, type KubeCluster } from '../../support/kube-cluster';

jest.setTimeout(300_000);

let cluster: KubeCluster;
let client: KubeClient;
const driver = new KubernetesDriver();
let namespace: string;

beforeAll(async () => {
  cluster = await kubeCluster();
  client = await connectKube();
}, 1_800_000);
afterAll(async () => {
  await cluster?.stop();
});

beforeEach(async () => {
  namespace = testNamespace('drv');
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
});
afterEach(async () => {
  await client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
});

const service = (name: string, target: Partial<KubernetesTarget>): ServiceSpec => ({
  name,
  wave: 'w',
  target: { driver: 'kubernetes', manifests: [], inline: [], namespace, waitForEndpoints: false, ...target },
  dependsOn: [],
  critical: true,
  oneShot: false,
  startTimeoutMs: 120_000,
  expectedStartMs: 1_000,
  profiles: [],
});

const ctx = (bootId = 'boot-1') => ({ plan: 'itest', bootId });
const watch = (progress: string[] = []) => ({
  signal: new AbortController().signal,
  onProgress: (d: string) => progress.push(d),
});

const deployment = (name: string, replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${extra}      containers: [{name: c, image: fake}]
`;

const read = (kind: string, apiVersion: string, name: string) =>
  client.read({ apiVersion, kind, metadata: { name, namespace } });

/** Sockets this (jest worker) process holds open. */
function openSockets(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false; // closed while listing
    }
  }).length;
}

it('reuses its connections to the API server instead of opening one per request', async () => {
  const before = openSockets();
  for (let i = 0; i < 40; i++) {
    const found = await client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    expect(found?.metadata.name).toBe(namespace);
  }
  // Before: each request built its own connection pool, and 40 reads left 40 sockets open (idle, kept alive).
  expect(openSockets() - before).toBeLessThan(5);
});

it('reports a Deployment ready only once the controller status says so', async () => {
  const svc = service('web', { inline: [deployment('web', 3)] });
  const started = await driver.start(ctx(), svc);
  expect(started).toEqual({ instance: 'deployment/web', created: true, ownerBootId: 'boot-1' });
  const progress: string[] = [];
  await driver.awaitNativeReady(ctx(), svc, watch(progress));
  const obj = (await read('Deployment', 'apps/v1', 'web')) as KubeObject;
  expect(obj.status?.['observedGeneration']).toBeGreaterThanOrEqual(obj.metadata.generation ?? 0);
  expect(obj.status?.['availableReplicas']).toBe(3);
  expect(obj.status?.['updatedReplicas']).toBe(3);
  expect(progress.at(-1)).toBe('deployment/web: 3 of 3 replicas available');
  // A resumed start over the same objects changes nothing.
  expect(await driver.start(ctx(), svc)).toEqual({ instance: 'deployment/web', created: false, ownerBootId: 'boot-1' });
  expect(await driver.inspect(ctx(), svc)).toEqual({
    phase: 'running',
    detail: '1 objects applied',
    ownerBootId: 'boot-1',
  });
});

it('fails a Deployment that cannot progress with the ProgressDeadlineExceeded message', async () => {
  const manifest = deployment('stuck', 1, '      nodeSelector: {bootwave.dev/none: "true"}\n').replace(
    '  replicas: 1',
    '  replicas: 1\n  progressDeadlineSeconds: 2',
  );
  const svc = service('stuck', { inline: [manifest] });
  await driver.start(ctx(), svc);
  await expect(driver.awaitNativeReady(ctx(), svc, watch())).rejects.toThrow(
    /^deployment\/stuck: ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/,
  );
});

it('fails a Job that exceeds its deadline as terminal', async () => {
  const job = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  activeDeadlineSeconds: 1
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      nodeSelector: {bootwave.dev/none: "true"}
      containers: [{name: c, image: fake}]
`;
  const svc = service('migrate', { inline: [job] });
  await driver.start(ctx(), svc);
  await expect(driver.awaitNativeReady(ctx(), svc, watch())).rejects.toMatchObject({
    name: 'TerminalServiceError',
    message: 'job/migrate failed: Job was active longer than specified deadline',
  });
});

it('rolls back: restores a changed object and deletes created ones', async () => {
  await client.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace },
    data: { mode: 'old' },
  });
  const svc = service('cfg', {
    inline: [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {mode: new}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {a: "1"}\n',
    ],
  });
  await driver.start(ctx('boot-2'), svc);
  expect((await read('ConfigMap', 'v1', 'cfg'))?.['data']).toEqual({ mode: 'new' });
  expect(await driver.stop(ctx('boot-2'), svc)).toEqual({ stopped: true });
  expect((await read('ConfigMap', 'v1', 'cfg'))?.['data']).toEqual({ mode: 'old' });
  expect(await read('ConfigMap', 'v1', 'extra')).toBeUndefined();
  expect(await driver.stop(ctx('boot-2'), svc)).toEqual({ stopped: false });
});

it('rejects bad manifests naming the document', async () => {
  const svc = service('bad', {
    inline: [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: Foo\nmetadata: {name: b}\n',
    ],
  });
  await expect(driver.start(ctx(), svc)).rejects.toMatchObject({
    name: 'PlanError',
    message: 'inline manifest 1 (document 2): unknown kind Foo in apps/v1',
  });
});

it('applies the KOSMOS manifests wave by wave and each wave becomes ready', async () => {
  const root = join(__dirname, '..', '..', '..', 'examples', 'kosmos', 'manifests');
  const waves = readdirSync(root)
    .filter((w) => w.startsWith('wave-'))
    .sort();
  for (const wave of waves) {
    const svc = service(wave, { manifests: [join(root, wave)], namespace: 'kosmos' });
    await driver.start(ctx('kosmos'), svc);
    await driver.awaitNativeReady(ctx('kosmos'), svc, watch());
  }
  for (const wave of [...waves].reverse())
    await driver.stop(ctx('kosmos'), service(wave, { manifests: [join(root, wave)], namespace: 'kosmos' }));
});
