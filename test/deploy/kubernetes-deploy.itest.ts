import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse, stringify } from 'yaml';
import type * as ClientNodeModule from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { BootClient } from '../../src/client/boot-client';
import type { KubeObject } from '../../src/drivers/kubernetes/rollout-status';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import { kubeCluster, testNamespace, type KubeCluster } from '../support/kube-cluster';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

jest.setTimeout(600_000);

type K8s = typeof ClientNodeModule;
const deploy = join(__dirname, '..', '..', 'deploy');
const documentsOf = (file: string): KubeObject[] =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((doc): doc is KubeObject => doc !== null);
const rbac = () => documentsOf(join(deploy, 'rbac.yaml'));
const workerManifests = () =>
  readdirSync(join(deploy, 'kubernetes'))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((name) => documentsOf(join(deploy, 'kubernetes', name)));

let k8s: K8s;
let cluster: KubeCluster;
let admin: InstanceType<K8s['KubeConfig']>;
const cleanup: KubeObject[] = [];

beforeAll(async () => {
  k8s = await import('@kubernetes/client-node');
  cluster = await kubeCluster();
  admin = new k8s.KubeConfig();
  admin.loadFromFile(cluster.kubeconfig);
}, 1_800_000);

afterAll(async () => {
  const objects = admin && k8s.KubernetesObjectApi.makeApiClient(admin);
  for (const object of cleanup.reverse()) await objects?.delete(object).catch(() => undefined);
  await cluster?.stop();
});

/** Server-side apply as the given user; `dryRun` asks the API server to check everything and store nothing. */
function apply(config: InstanceType<K8s['KubeConfig']>, object: KubeObject, dryRun?: 'All') {
  return k8s.KubernetesObjectApi.makeApiClient(config).patch(
    object,
    undefined,
    dryRun,
    'bootwave-test',
    true,
    k8s.PatchStrategy.ServerSideApply,
  );
}

/** A kubeconfig for the same cluster that authenticates with a bearer token instead of the admin's certificate. */
function tokenKubeconfig(token: string, file: string): string {
  const source = parse(readFileSync(cluster.kubeconfig, 'utf8')) as {
    clusters: { name: string; cluster: Record<string, unknown> }[];
  };
  const { cluster: server } = source.clusters[0]!;
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: server }],
      users: [{ name: 'bootwave-worker', user: { token } }],
      contexts: [{ name: 'worker', context: { cluster: 'test', user: 'bootwave-worker' } }],
      'current-context': 'worker',
    }),
  );
  return file;
}

describe('deploy/ for Kubernetes', () => {
  it('the API server accepts every manifest in a server-side dry run', async () => {
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bootwave' } };
    const core = admin.makeApiClient(k8s.CoreV1Api);
    // A dry run of objects in a namespace needs the namespace to exist.
    const existed = await core.readNamespace({ name: 'bootwave' }).then(
      () => true,
      () => false,
    );
    if (!existed) {
      await apply(admin, namespace);
      cleanup.push(namespace);
    }
    const objects = [...rbac(), ...workerManifests()];
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'Namespace',
      'Secret',
      'ServiceAccount',
    ]);
    const checked = [];
    for (const object of objects) {
      const answer = (await apply(admin, object, 'All')) as KubeObject;
      checked.push(`${answer.kind}/${answer.metadata.name}`);
    }
    expect(checked).toHaveLength(objects.length);
    // The same dry run refuses a broken manifest: the check can fail.
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } } as KubeObject;
    await expect(apply(admin, broken, 'All')).rejects.toMatchObject({ code: expect.any(Number) });
    // Nothing was stored: the Deployment exists only as the dry run's answer.
    const apps = admin.makeApiClient(k8s.AppsV1Api);
    await expect(
      apps.readNamespacedDeployment({ name: 'bootwave-worker', namespace: 'bootwave' }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it("a boot succeeds with the ServiceAccount's token and its RBAC, and an action outside it is refused", async () => {
    const namespace = testNamespace('rbac');
    const appNamespace = `${namespace}-app`;
    const role = `bootwave-worker-${namespace}`;
    // deploy/rbac.yaml as written, but in a namespace of this test and with cluster-wide names of its own.
    const objects = rbac().map((object): KubeObject => {
      const copy = structuredClone(object) as KubeObject & {
        roleRef?: { name: string };
        subjects?: { namespace: string }[];
      };
      if (copy.kind === 'Namespace') copy.metadata.name = namespace;
      if (copy.metadata.namespace) copy.metadata.namespace = namespace;
      if (copy.kind === 'ClusterRole' || copy.kind === 'ClusterRoleBinding') copy.metadata.name = role;
      if (copy.roleRef) copy.roleRef.name = role;
      for (const subject of copy.subjects ?? []) subject.namespace = namespace;
      return copy;
    });
    for (const object of objects) {
      await apply(admin, object);
      cleanup.push(object);
    }
    cleanup.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: appNamespace } });

    const core = admin.makeApiClient(k8s.CoreV1Api);
    const { status } = await core.createNamespacedServiceAccountToken({
      name: 'bootwave-worker',
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const dir = freshDir('rbac');
    const kubeconfig = tokenKubeconfig(status!.token!, join(dir, 'worker.kubeconfig'));

    // A plan that creates its namespace, a ConfigMap, a Service and a Deployment, and rolls them out.
    const manifest = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: appNamespace } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-settings' }, data: { MODE: 'production' } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    ]
      .map((doc) => stringify(doc))
      .join('---\n');
    writeFileSync(join(dir, 'web.yaml'), manifest);
    writeFileSync(
      join(dir, 'plan.yaml'),
      stringify({
        name: namespace,
        services: { web: { kubernetes: { manifests: ['web.yaml'], namespace: appNamespace } } },
      }),
    );
    const loaded = loadPlan(join(dir, 'plan.yaml'));
    if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));

    const taskQueue = uniqueTaskQueue('rbac');
    const worker = await WorkerProcess.start({
      taskQueue,
      logFile: join(dir, 'worker.log'),
      env: { KUBECONFIG: kubeconfig },
    });
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      const result = await client.start(loaded.plan, { workflowId: `rbac-${taskQueue}` }).then((h) => h.result());
      expect({ phase: result.phase, failure: result.failure }).toEqual({ phase: 'succeeded', failure: undefined });
      const apps = admin.makeApiClient(k8s.AppsV1Api);
      const deployment = await apps.readNamespacedDeployment({ name: 'web', namespace: appNamespace });
      expect(deployment.status?.availableReplicas).toBe(2);

      // The same token, outside the role: Secrets (in any namespace) and RBAC itself are refused.
      const worker = new k8s.KubeConfig();
      worker.loadFromFile(kubeconfig);
      const asWorker = worker.makeApiClient(k8s.CoreV1Api);
      await expect(asWorker.listNamespacedSecret({ namespace: 'kube-system' })).rejects.toMatchObject({ code: 403 });
      await expect(
        asWorker.createNamespacedSecret({
          namespace: appNamespace,
          body: { metadata: { name: 'stolen' }, stringData: { password: 'x' } },
        }),
      ).rejects.toMatchObject({ code: 403 });
      const asWorkerRbac = worker.makeApiClient(k8s.RbacAuthorizationV1Api);
      await expect(
        asWorkerRbac.createClusterRoleBinding({
          body: {
            metadata: { name: `${role}-escalate` },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
            subjects: [{ kind: 'ServiceAccount', name: 'bootwave-worker', namespace }],
          },
        }),
      ).rejects.toMatchObject({ code: 403 });

      // And `down` (delete, rollback records) works with the same privileges.
      const down = await client.down(loaded.plan);
      expect({ stopped: down.stopped, failed: down.failed }).toEqual({ stopped: ['web'], failed: [] });
    } finally {
      await worker.stop();
      await client.close();
    }
  });
});
