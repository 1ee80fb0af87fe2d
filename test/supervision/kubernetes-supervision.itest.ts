import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BootClient } from '../../src/client/boot-client';
import { stackWorkflowId } from '../../src/contract/supervision';
import { connectKube, type KubeClient } from '../../src/drivers/kubernetes/kube-client';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver';
import type { KubeObject } from '../../src/drivers/kubernetes/rollout-status';
import { loadPlan } from '../../src/plan/load-plan';
import type { ResolvedPlan } from '../../src/plan/types';
import { withWorker } from '../support/boot-worker';
import { kubeCluster, testNamespace, type KubeCluster } from '../support/kube-cluster';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { endStack, scheduledActivities, serviceOf, supervising, untilStack } from './supervised-stack';

jest.setTimeout(300_000);

let cluster: KubeCluster;
let kube: KubeClient;
const namespace = testNamespace('sup');
const namespaceRef: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };

beforeAll(async () => {
  cluster = await kubeCluster();
  kube = await connectKube();
  await kube.apply(namespaceRef);
}, 1_800_000);

afterAll(async () => {
  await kube?.delete(namespaceRef).catch(() => false);
  await cluster?.stop();
});

/** Recreate: a changed pod template takes the running pod away before the new one is up. */
const deployment = (nodeSelector = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${namespace}}
spec:
  replicas: 1
  strategy: {type: Recreate}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${nodeSelector}      containers: [{name: c, image: fake}]
`;

function kubePlan(): ResolvedPlan {
  const dir = freshDir('sup-kube');
  const file = join(dir, 'plan.yaml');
  writeFileSync(
    file,
    stringify({ name: 'sup-kube', services: { web: { kubernetes: { inline: [deployment()], namespace } } } }),
  );
  const result = loadPlan(file);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

describe('supervision of a Kubernetes workload', () => {
  it('reports a Deployment that became unavailable as unhealthy and healthy again, and never restarts it', async () => {
    const plan = kubePlan();
    const taskQueue = uniqueTaskQueue('sup-kube');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: { kubernetes: new KubernetesDriver() } }, async () => {
        const stack = await supervising(client, plan);

        // Its pod can no longer land on any node: the controller takes the running one away, the new one stays
        // Pending, and the Deployment has no available replica.
        await kube.apply(parse(deployment('      nodeSelector: {bootwave.dev/none: "true"}\n')) as KubeObject);
        const unhealthy = await untilStack(stack, 'web unhealthy', (status) => {
          const web = serviceOf(status, 'web');
          return web.phase === 'unhealthy' ? web : undefined;
        });
        expect(unhealthy.message).toBe(
          'deployment/web: 0 of 1 updated replicas available; restarted by its Kubernetes controller; bootwave only observes',
        );
        expect(unhealthy.restarts).toBe(0);
        const health = (await stack.status()).services;
        expect(health.map((s) => [s.name, s.phase])).toEqual([['web', 'unhealthy']]);

        // Schedulable again: the controller brings a pod up, and the stack shows it healthy.
        await kube.apply(parse(deployment()) as KubeObject);
        const healthy = await untilStack(stack, 'web healthy again', (status) => {
          const web = serviceOf(status, 'web');
          return web.phase === 'healthy' ? web : undefined;
        });
        expect(healthy).toMatchObject({ restarts: 0, blockedBy: [] });
        expect(healthy.message).toBeUndefined();

        // bootwave observed only: the stack never stopped or started anything.
        const activities = await scheduledActivities(client, stackWorkflowId(plan.name));
        expect(activities.filter((type) => type === 'watchServices').length).toBeGreaterThanOrEqual(2);
        expect(activities.filter((type) => ['stopService', 'startService', 'awaitReady'].includes(type))).toEqual([]);
        await stack.end('test over');
      });
    } finally {
      await endStack(client, plan);
      await client.close();
    }
  });
});
