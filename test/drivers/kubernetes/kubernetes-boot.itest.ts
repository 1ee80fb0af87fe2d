import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BootClient } from '../../../src/client/boot-client';
import { connectKube, type KubeClient } from '../../../src/drivers/kubernetes/kube-client';
import { KubernetesDriver } from '../../../src/drivers/kubernetes/kubernetes-driver';
import type { KubeObject } from '../../../src/drivers/kubernetes/rollout-status';
import type { BootOptions } from '../../../src/plan/boot-input';
import { loadPlan } from '../../../src/plan/load-plan';
import { formatIssue } from '../../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../../src/plan/types';
import type { ServiceStatus } from '../../../src/contract/status';
import { bootToEnd, tearDown } from '../../support/boot-worker';
import { kubeCluster, testNamespace, type KubeCluster } from '../../support/kube-cluster';
import { kosmosPlan, type KosmosPlan } from '../../support/kosmos-plan';
import { uniqueTaskQueue } from '../../support/temporal';
import { freshDir, requireTestEnv } from '../../support/test-env';
import { waitFor } from '../../support/wait-for';
import { WorkerProcess } from '../../support/worker-process';

jest.setTimeout(600_000);

const drivers = { kubernetes: new KubernetesDriver() };
let cluster: KubeCluster;
let kube: KubeClient;
const namespaces: string[] = [];

beforeAll(async () => {
  cluster = await kubeCluster();
  kube = await connectKube();
}, 1_800_000);

afterAll(async () => {
  for (const name of namespaces) await kube?.delete(namespaceRef(name)).catch(() => false);
  await cluster?.stop();
});

function namespaceRef(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

const boot = (plan: ResolvedPlan, options: Partial<BootOptions>) => bootToEnd(drivers, plan, options, 'kube-boot');

/** What `bootwave down` runs. */
const down = (plan: ResolvedPlan) => tearDown(drivers, plan, 'kube-down');

/** One list of a kind in a namespace, through the driver's own client (list, then the watch is stopped). */
async function list(
  namespace: string,
  apiVersion: string,
  kind: string,
  labelSelector?: string,
): Promise<KubeObject[]> {
  let listed: KubeObject[] | undefined;
  const stop = await kube.listWatch(
    { apiVersion, kind, namespace },
    labelSelector ? { labelSelector } : {},
    (objects) => (listed ??= objects),
    () => {},
  );
  stop();
  if (!listed) throw new Error(`no list of ${kind} in ${namespace}`);
  return listed;
}

const byName = <S extends ServiceStatus>(status: { services: S[] }, name: string): S => {
  const found = status.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in the boot status`);
  return found;
};

const num = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

/** The controller's own account of a workload, independent of the driver's rollout-status code. */
function controllerSaysReady(obj: KubeObject): boolean {
  const status = obj.status ?? {};
  const spec = obj.spec ?? {};
  const replicas = spec['replicas'] === undefined ? 1 : num(spec['replicas']);
  const conditions = (status['conditions'] as { type: string; status: string }[] | undefined) ?? [];
  switch (obj.kind) {
    case 'Deployment':
      return (
        num(status['observedGeneration']) === obj.metadata.generation &&
        num(status['updatedReplicas']) === replicas &&
        num(status['availableReplicas']) === replicas &&
        num(status['replicas']) === replicas
      );
    case 'StatefulSet':
      return (
        num(status['observedGeneration']) === obj.metadata.generation &&
        num(status['readyReplicas']) === replicas &&
        status['currentRevision'] === status['updateRevision']
      );
    case 'DaemonSet':
      return (
        num(status['observedGeneration']) === obj.metadata.generation &&
        num(status['desiredNumberScheduled']) > 0 &&
        num(status['numberAvailable']) === num(status['desiredNumberScheduled'])
      );
    case 'Job':
      return conditions.some((c) => c.type === 'Complete' && c.status === 'True') && num(status['succeeded']) >= 1;
    default:
      throw new Error(`not a workload: ${obj.kind}`);
  }
}

const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

describe('booting the KOSMOS example on Kubernetes through Temporal', () => {
  let kosmos: KosmosPlan | undefined;
  const namespace = testNamespace('kosmos');
  namespaces.push(namespace);

  it('boots all 8 waves in order to healthy, every workload rolled out as its controller reports', async () => {
    kosmos = kosmosPlan(namespace);
    const { plan, objects } = kosmos;
    expect(plan.waves).toHaveLength(8);
    const status = await boot(plan, { strategy: 'waves', onFailure: 'rollback' });
    expect(status.failure).toBeUndefined();
    expect(status.phase).toBe('succeeded');
    expect(Object.fromEntries(status.services.map((s) => [s.name, s.phase]))).toEqual(
      Object.fromEntries(plan.services.map((s) => [s.name, s.oneShot ? 'completed' : 'healthy'])),
    );
    expect(Object.fromEntries(plan.services.filter((s) => s.oneShot).map((s) => [s.name, s.wave]))).toEqual({
      'db-migrate': 'database-identity',
      pgvector: 'ai-knowledge',
    });

    // The wave barrier: nothing of a wave starts before every service of the wave before it is ready.
    for (const [index, wave] of plan.waves.entries()) {
      if (index === 0) continue;
      const previousReady = Math.max(...plan.waves[index - 1]!.services.map((s) => byName(status, s).readyAtMs!));
      for (const service of wave.services)
        expect(byName(status, service).startedAtMs!).toBeGreaterThanOrEqual(previousReady);
    }

    const workloads = objects.filter((o) => workloadKinds.includes(o.kind));
    expect(workloads.map((o) => o.kind).sort()).toEqual([
      'DaemonSet',
      ...Array<string>(24).fill('Deployment'),
      ...Array<string>(2).fill('Job'),
      ...Array<string>(4).fill('StatefulSet'),
    ]);
    for (const declared of workloads) {
      const live = await kube.read(declared);
      expect([declared.kind, declared.metadata.name, live?.metadata.namespace]).toEqual([
        declared.kind,
        declared.metadata.name,
        namespace,
      ]);
      expect([`${live!.kind}/${live!.metadata.name}`, controllerSaysReady(live!)]).toEqual([
        `${declared.kind}/${declared.metadata.name}`,
        true,
      ]);
    }
    for (const service of objects.filter((o) => o.kind === 'Service'))
      expect((await kube.read(service))?.metadata.name).toBe(service.metadata.name);
    expect((await kube.read(namespaceRef(namespace)))?.metadata.name).toBe(namespace);
  });

  it('down removes every object the manifests created, then the namespace the plan created', async () => {
    if (!kosmos) throw new Error('the KOSMOS boot above did not run');
    const { plan, objects } = kosmos;
    const result = await down(plan);
    expect(result.failed).toEqual([]);
    expect(result.absent).toEqual([]);
    expect([...result.stopped].sort()).toEqual(plan.services.map((s) => s.name).sort());

    const namespaced = objects.filter((o) => o.kind !== 'Namespace');
    expect(namespaced).toHaveLength(60);
    for (const obj of namespaced)
      expect([`${obj.kind}/${obj.metadata.name}`, await kube.read(obj)]).toEqual([
        `${obj.kind}/${obj.metadata.name}`,
        undefined,
      ]);
    // Namespace deletion is asynchronous: the namespace controller empties it (pods, ReplicaSets, rollback records).
    await waitFor(
      `namespace ${namespace} deleted`,
      async () => ((await kube.read(namespaceRef(namespace))) === undefined ? true : undefined),
      120_000,
    );
  });
});

/** A TCP server on 127.0.0.1:port that accepts and hangs up; rejects when the port is taken. */
async function listen(port: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket.once('close', () => sockets.delete(socket)));
    socket.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A port nothing listens on, below the kernel's ephemeral range (32768+): no outgoing connection takes it as its
 * source port meanwhile, and a probe of a closed ephemeral port can connect to itself (TCP simultaneous open).
 */
async function closedPort(): Promise<number> {
  for (;;) {
    const probe = await listen(20_000 + Math.floor(Math.random() * 12_000)).catch(() => undefined);
    if (!probe) continue;
    await probe.close();
    return probe.port;
  }
}

const deployment = (name: string, replicas: number) =>
  stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'fake' }] } },
    },
  });

describe('a Kubernetes boot survives a worker killed -9', () => {
  it('resumes the probing wave on a fresh worker and applies every object exactly once', async () => {
    const namespace = testNamespace('crash');
    namespaces.push(namespace);
    const port = await closedPort();
    const dir = freshDir('kube-crash');
    const replicas: Record<string, number> = { db: 2, api: 3, web: 1 };
    const kubernetes = (name: string) => ({ inline: [deployment(name, replicas[name]!)], namespace });
    const planFile = join(dir, 'plan.yaml');
    writeFileSync(
      planFile,
      stringify({
        name: 'kcrash',
        waves: [{ name: 'data' }, { name: 'apps' }],
        services: {
          db: { wave: 'data', kubernetes: kubernetes('db') },
          api: {
            wave: 'apps',
            kubernetes: kubernetes('api'),
            health: { check: { kind: 'tcp', host: '127.0.0.1', port }, startInterval: '250ms', interval: '250ms' },
            startTimeout: '3m',
          },
          web: { wave: 'apps', kubernetes: kubernetes('web'), dependsOn: ['api'] },
        },
      }),
    );
    const loaded = loadPlan(planFile);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
    const plan = loaded.plan;

    const taskQueue = uniqueTaskQueue('kcrash');
    const logFile = join(dir, 'worker.log');
    const env = { KUBECONFIG: cluster.kubeconfig };
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    let worker = await WorkerProcess.start({ taskQueue, logFile, env });
    let server: Awaited<ReturnType<typeof listen>> | undefined;
    try {
      const handle = await client.start(plan, { strategy: 'waves', workflowId: `kcrash-${taskQueue}` });
      await waitFor('api probing its port', async () => {
        const api = byName(await handle.status(), 'api');
        return api.phase === 'probing' && (api.probe?.attempts ?? 0) >= 2 ? true : undefined;
      });
      await worker.kill();
      worker = await WorkerProcess.start({ taskQueue, logFile, env });
      // The dead worker's last heartbeat (queries need a live worker; the probe moves only after its 10 s
      // heartbeat timeout): the probe resumes from it on the fresh worker and counts on.
      const attemptsAtKill = byName(await handle.status(), 'api').probe!.attempts;
      await waitFor(
        'api probed again by the fresh worker',
        async () => {
          const api = byName(await handle.status(), 'api');
          return api.phase === 'probing' && api.probe!.attempts > attemptsAtKill ? true : undefined;
        },
        120_000,
      );
      expect(byName(await handle.status(), 'web').phase).toBe('waiting');
      server = await listen(port);

      const result = await handle.result();
      expect(result.failure).toBeUndefined();
      expect(result.phase).toBe('succeeded');
      expect(Object.fromEntries(result.services.map((s) => [s.name, s.phase]))).toEqual({
        db: 'healthy',
        api: 'healthy',
        web: 'healthy',
      });
      expect(byName(result, 'api').attempts!).toBeGreaterThan(attemptsAtKill);
      expect(byName(result, 'web').startedAtMs!).toBeGreaterThanOrEqual(byName(result, 'api').readyAtMs!);

      const deployments = await list(namespace, 'apps/v1', 'Deployment');
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['api', 'db', 'web']);
      for (const d of deployments) {
        const name = d.metadata.name;
        const managers = (d.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields;
        expect([name, d.metadata.generation]).toEqual([name, 1]);
        expect([name, managers?.some((m) => m.manager === 'bootwave' && m.operation === 'Apply')]).toEqual([
          name,
          true,
        ]);
        expect([name, controllerSaysReady(d)]).toEqual([name, true]);
        const pods = await list(namespace, 'v1', 'Pod', `app=${name}`);
        expect([name, pods.length]).toEqual([name, replicas[name]]);
        expect([name, (await list(namespace, 'apps/v1', 'ReplicaSet', `app=${name}`)).length]).toEqual([name, 1]);
      }
    } finally {
      await worker.stop();
      await client.close();
      await server?.close();
    }
  });
});

describe('a failing migration Job on Kubernetes', () => {
  it('fails its wave with the Job condition, blocks its dependents, and rollback deletes what the boot created', async () => {
    const namespace = testNamespace('jobfail');
    namespaces.push(namespace);
    // Never scheduled (no node has the label), so the Job fails once its one-second deadline has passed.
    const job = stringify({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate' },
      spec: {
        activeDeadlineSeconds: 1,
        backoffLimit: 0,
        template: {
          spec: {
            restartPolicy: 'Never',
            nodeSelector: { 'bootwave.dev/none': 'true' },
            containers: [{ name: 'migrate', image: 'fake' }],
          },
        },
      },
    });
    const dir = freshDir('kube-jobfail');
    const planFile = join(dir, 'plan.yaml');
    writeFileSync(
      planFile,
      stringify({
        name: 'kjobfail',
        waves: [{ name: 'data' }, { name: 'apps' }],
        services: {
          cache: { wave: 'data', kubernetes: { inline: [deployment('cache', 1)], namespace } },
          migrate: { wave: 'data', oneShot: true, kubernetes: { inline: [job], namespace }, startTimeout: '5m' },
          api: {
            wave: 'apps',
            kubernetes: { inline: [deployment('api', 1)], namespace },
            dependsOn: [{ service: 'migrate', condition: 'completed' }],
          },
        },
      }),
    );
    const loaded = loadPlan(planFile);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
    const plan = loaded.plan;

    const result = await boot(plan, { strategy: 'waves', onFailure: 'rollback' });
    expect(result.phase).toBe('rolled-back');
    // The Job's own condition, not the 5-minute start budget or the wave deadline running out.
    expect(result.failure).toBe(
      'critical service migrate failed: service migrate exited with code 1: ' +
        'job/migrate failed: Job was active longer than specified deadline',
    );
    expect(byName(result, 'cache').phase).toBe('rolled-back');
    expect(byName(result, 'api').phase).toBe('skipped');
    expect(byName(result, 'api').startedAtMs).toBeUndefined();
    expect(await list(namespace, 'apps/v1', 'Deployment')).toEqual([]);
    expect(await list(namespace, 'batch/v1', 'Job')).toEqual([]);
  });
});
