import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BootClient } from '../../src/client/boot-client';
import { connectKube, type KubeClient } from '../../src/drivers/kubernetes/kube-client';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver';
import type { KubeObject } from '../../src/drivers/kubernetes/rollout-status';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';
import { tearDown, withWorker } from '../support/boot-worker';
import { kubeCluster, testNamespace, type KubeCluster } from '../support/kube-cluster';
import { testPort } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { supervising } from '../supervision/supervised-stack';

jest.setTimeout(600_000);

const drivers = () => ({ kubernetes: new KubernetesDriver() });
let cluster: KubeCluster;
let kube: KubeClient;
const namespaces: string[] = [];

beforeAll(async () => {
  cluster = await kubeCluster();
  kube = await connectKube();
}, 1_800_000);

afterAll(async () => {
  for (const name of namespaces)
    await kube?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch(() => false);
  await cluster?.stop();
});

/** A Deployment whose pod template names `image`. */
const deployment = (image: string) =>
  stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image }] } },
    },
  });

function planFile(dir: string, file: string, namespace: string, image: string, check?: number): ResolvedPlan {
  const path = join(dir, file);
  writeFileSync(
    path,
    stringify({
      name: 'kupd',
      services: {
        api: {
          kubernetes: { inline: [deployment(image)], namespace },
          // The new version's check: a TCP port nothing listens on, so it never passes and its start times out.
          ...(check === undefined
            ? {}
            : {
                health: { check: { kind: 'tcp', host: '127.0.0.1', port: check }, interval: '250ms' },
                startTimeout: '3s',
              }),
        },
      },
    }),
  );
  const loaded = loadPlan(path);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
  return loaded.plan;
}

async function deploymentNow(namespace: string): Promise<KubeObject> {
  const found = await kube.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace, name: 'api' } });
  if (!found) throw new Error('no Deployment api');
  return found;
}
const imageOf = (obj: KubeObject) =>
  (obj.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;

describe('bootwave update of a Kubernetes Deployment', () => {
  it('applies the new objects and, when the new version fails its check, applies the previous object again', async () => {
    const namespace = testNamespace('kupd');
    namespaces.push(namespace);
    const dir = freshDir('kupd');
    const v1 = planFile(dir, 'plan.yaml', namespace, 'registry.local/api:1');
    const v2 = planFile(dir, 'plan-v2.yaml', namespace, 'registry.local/api:2', testPort());
    const taskQueue = uniqueTaskQueue('kupd');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: drivers() }, async () => {
        await supervising(client, v1);
        const before = await deploymentNow(namespace);
        expect(imageOf(before)).toBe('registry.local/api:1');

        const handle = await client.update(v2, { observeMs: 1000 });
        await waitFor('the new object applied', async () =>
          imageOf(await deploymentNow(namespace)) === 'registry.local/api:2' ? true : undefined,
        );
        const report = await handle.report();
        expect(report.outcome).toBe('rolled-back');
        expect(report.services).toEqual([
          expect.objectContaining({ service: 'api', method: 'apply', phase: 'rolled-back' }),
        ]);
        // The previous object is back: its pod template as before, rolled out by its controller once more.
        const after = await deploymentNow(namespace);
        expect(imageOf(after)).toBe('registry.local/api:1');
        expect(after.spec).toEqual(before.spec);
        expect(after.metadata.generation).toBeGreaterThan(before.metadata.generation!);
        await tearDown(drivers(), v1, 'kupd-down');
      });
    } finally {
      await client.close();
    }
  });
});
