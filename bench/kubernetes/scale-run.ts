import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { BootClient } from '../../src/client/boot-client';
import type { Strategy } from '../../src/plan/boot-input';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import { bootMetrics, type BootMetrics } from '../boot-metrics';
import { BenchWorker } from '../worker-process';
import { generateKubePlan } from './generate-kube-plan';
import { deleteNamespace, kubectl } from './kube-tools';

// Compiled to dist-bench/bench/kubernetes/: the repository is three levels up.
const bundlePath = join(__dirname, '..', '..', '..', 'dist', 'workflow-bundle.js');

export interface ScaleFigures extends BootMetrics {
  strategy: Strategy;
  services: number;
  phase: string;
  /** Deployments kubectl reports with their one replica available once the boot has returned. */
  availableDeployments: number;
  workerPeakRssBytes: number;
  maxHistoryEvents: number;
  maxHistoryWorkflow: string;
  workflows: number;
  /** `kubectl delete namespace --wait` after the boot: every Deployment and pod gone. */
  teardownMs: number;
  load1: number;
}

/** Deployments whose status says their one replica is available. */
async function availableDeployments(namespace: string): Promise<number> {
  const { out } = await kubectl([
    'get',
    'deployments',
    '-n',
    namespace,
    '-o',
    'jsonpath={.items[*].status.availableReplicas}',
  ]);
  return out.split(/\s+/).filter((n) => n === '1').length;
}

/**
 * Boots a generated plan of `services` Deployments in 8 waves with a worker in its own process (bench/worker-process:
 * its VmHWM is the worker's own), reads every workflow's history, then deletes the namespace.
 */
export async function scaleRun(
  env: { client: Client; address: string; workDir: string },
  options: { services: number; waves: number; strategy: Strategy },
): Promise<ScaleFigures> {
  const id = randomUUID().slice(0, 6);
  const name = `kscale-${options.strategy}-${id}`;
  const namespace = `bwbench-scale-${id}`;
  const dir = join(env.workDir, name);
  mkdirSync(dir, { recursive: true });
  const planFile = generateKubePlan({
    dir,
    name,
    namespace,
    services: options.services,
    waves: options.waves,
    seed: 42,
  });
  const loaded = loadPlan(planFile);
  if (!loaded.ok) throw new Error(`Failed to load ${planFile}: ${loaded.errors.map(formatIssue).join('; ')}`);
  const plan = loaded.plan;
  // The namespace exists before the boot (not timed), as a cluster's namespaces usually do.
  await kubectl(['create', 'namespace', namespace]);
  const taskQueue = `bwbench-kube-${id}`;
  const worker = await BenchWorker.start({
    address: env.address,
    taskQueue,
    bundlePath,
    stateDir: join(dir, 'state'),
    logFile: join(env.workDir, `worker-${name}.log`),
    timeoutMs: 60_000,
  });
  try {
    const boots = new BootClient(env.client, taskQueue);
    const load1 = loadavg()[0]!;
    const requestedAtMs = Date.now();
    const handle = await boots.start(plan, {
      strategy: options.strategy,
      onFailure: 'halt',
      workflowId: `bootwave-${name}`,
    });
    const result = await handle.result();
    if (result.phase !== 'succeeded')
      throw new Error(`boot ${name} ended ${result.phase}: ${result.failure ?? 'no failure text'}`);
    const metrics = bootMetrics(plan, result, requestedAtMs, options.strategy);
    const workerPeakRssBytes = worker.peakRssBytes();
    const available = await availableDeployments(namespace);
    let largest = { events: 0, workflowId: handle.workflowId };
    const ids = [handle.workflowId, ...result.waves.map((w) => w.workflowId)];
    for (const workflowId of ids) {
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      const events = history.events?.length ?? 0;
      if (events > largest.events) largest = { events, workflowId };
    }
    return {
      ...metrics,
      strategy: options.strategy,
      services: plan.services.length,
      phase: result.phase,
      availableDeployments: available,
      workerPeakRssBytes,
      maxHistoryEvents: largest.events,
      maxHistoryWorkflow: largest.workflowId.slice(handle.workflowId.length) || '(boot)',
      workflows: ids.length,
      teardownMs: await deleteNamespace(namespace),
      load1,
    };
  } finally {
    await worker.stop();
    await deleteNamespace(namespace);
  }
}

/**
 * What the control plane allows without any orchestrator (issue 14's floor for the scale target): every manifest of
 * the same generated plan applied by one `kubectl apply` (server-side, all at once, no order), then `kubectl wait`
 * until every Deployment is Available. Returns that span in ms; the namespace is deleted afterwards.
 */
export async function kubectlFloorRun(env: { workDir: string }, services: number): Promise<number> {
  const id = randomUUID().slice(0, 6);
  const name = `kfloor-${id}`;
  const namespace = `bwbench-floor-${id}`;
  const dir = join(env.workDir, name);
  mkdirSync(dir, { recursive: true });
  generateKubePlan({ dir, name, namespace, services, waves: 8, seed: 42 });
  await kubectl(['create', 'namespace', namespace]);
  try {
    const began = Date.now();
    await kubectl(['apply', '--server-side', '-f', join(dir, 'manifests')]);
    await kubectl(['wait', '--for=condition=Available', 'deployments', '--all', '-n', namespace, '--timeout=600s']);
    const spanMs = Date.now() - began;
    const available = await availableDeployments(namespace);
    if (available !== services) throw new Error(`kubectl floor: ${available} of ${services} Deployments available`);
    return spanMs;
  } finally {
    await deleteNamespace(namespace);
  }
}
