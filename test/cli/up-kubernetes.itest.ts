import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { connectKube } from '../../src/drivers/kubernetes/kube-client';
import { kubeCluster, testNamespace, type KubeCluster } from '../support/kube-cluster';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';
import { captureIo } from './capture-io';

// `bootwave up` of a plan with bad Kubernetes manifests, against the real API server: every problem is named with
// its file and document before anything is applied.
let cluster: KubeCluster;
let dir: string;
beforeAll(async () => {
  cluster = await kubeCluster();
  process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
  process.env.BOOTWAVE_WORKFLOW_BUNDLE = requireTestEnv('bundle');
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('cli-k8s');
  dir = mkdtempSync(join(tmpdir(), 'bootwave-up-k8s-'));
}, 1_800_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await cluster?.stop();
});
afterEach(() => {
  process.exitCode = undefined;
});

it('refuses manifests with an unknown kind or a missing namespace, naming file and document, and applies nothing', async () => {
  const namespace = testNamespace('upbad');
  const manifest = join(dir, 'app.yaml');
  writeFileSync(
    manifest,
    [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n',
      'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: web}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: no-such-namespace}\n',
    ].join('---\n'),
  );
  const file = join(dir, 'plan.yaml');
  writeFileSync(
    file,
    `name: ${namespace}\nservices:\n  app: { kubernetes: { manifests: [app.yaml], namespace: ${namespace} } }\n`,
  );

  const io = captureIo();
  await main(['node', 'bootwave', 'up', file], io);
  expect(process.exitCode).toBe(1);
  expect(io.stdoutText()).toBe('');
  expect(io.stderrText().split('\n')).toEqual([
    `${file}: services.app.kubernetes: ${manifest} (document 2): unknown kind Deploymnet in apps/v1`,
    `${file}: services.app.kubernetes: ${manifest} (document 3): namespace no-such-namespace does not exist and the plan does not create it`,
    `bootwave: 2 problems in the manifests of ${file}; nothing was started`,
  ]);
  // Not even the valid document, nor the target namespace, was applied.
  const client = await connectKube();
  expect(await client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } })).toBeUndefined();
});
