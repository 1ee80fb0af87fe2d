import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { Strategy } from '../../src/plan/boot-input';
import type { ResolvedPlan } from '../../src/plan/types';
import { allowedStarts, median, percentile } from '../boot-metrics';
import { addQueueWaits, type QueueWaits } from '../history-latency';
import { BenchWorker } from '../worker-process';
import type { FloorTimes } from './floor-activities';
import type { FloorService } from './floor-workflows';

/** What a boot of the same graph costs Temporal alone on this machine, measured as bootwave's boots are. */
export interface FloorFigures {
  totalMs: number;
  handOffMedianMs: number;
  handOffP95Ms: number;
  workflowTaskRunP50Ms: number;
  activityTaskWaitP50Ms: number;
  workerPeakRssBytes: number;
}

/**
 * Boots `plan`'s graph with `floorBoot` (one workflow, one activity per service) on a worker of its own, against the
 * same server as bootwave's runs, and measures the hand-off as `bootMetrics` does: a service's start − the moment
 * the strategy allowed it.
 */
export async function runFloor(
  env: { client: Client; address: string; workDir: string; floorBundlePath: string },
  plan: ResolvedPlan,
  strategy: Strategy,
  spawnSleep: boolean,
): Promise<FloorFigures> {
  const taskQueue = `floor-${plan.name}-${spawnSleep ? 'spawn' : 'none'}`;
  const worker = await BenchWorker.startScript({
    script: join(__dirname, 'floor-worker.js'),
    env: { TEMPORAL_ADDRESS: env.address, FLOOR_TASK_QUEUE: taskQueue, FLOOR_WORKFLOW_BUNDLE: env.floorBundlePath },
    logFile: join(env.workDir, `${taskQueue}.log`),
    timeoutMs: 60_000,
  });
  try {
    const requestedAtMs = Date.now();
    const handle = await env.client.workflow.start('floorBoot', {
      taskQueue,
      workflowId: taskQueue,
      args: [floorServices(plan), strategy, spawnSleep],
    });
    const times = (await handle.result()) as FloorTimes[];
    const startedAt = new Map(times.map((t) => [t.name, t.startedAtMs]));
    const handOffs = [...allowedStarts(plan, { services: times }, requestedAtMs, strategy)].map(
      ([name, allowedAtMs]) => startedAt.get(name)! - allowedAtMs,
    );
    const waits: QueueWaits = { workflowTaskMs: [], workflowRunMs: [], activityTaskMs: [] };
    addQueueWaits(await handle.fetchHistory(), waits);
    return {
      totalMs: Math.max(...times.map((t) => t.readyAtMs)) - requestedAtMs,
      handOffMedianMs: median(handOffs),
      handOffP95Ms: percentile(handOffs, 95),
      workflowTaskRunP50Ms: median(waits.workflowRunMs),
      activityTaskWaitP50Ms: median(waits.activityTaskMs),
      workerPeakRssBytes: worker.peakRssBytes(),
    };
  } finally {
    await worker.stop();
  }
}

/** The plan's graph, dependencies first (`floorBoot` needs them so). */
export function floorServices(plan: ResolvedPlan): FloorService[] {
  const waveIndex = new Map(plan.waves.map((w) => [w.name, w.index]));
  const ordered: FloorService[] = [];
  const placed = new Set<string>();
  const byName = new Map(plan.services.map((s) => [s.name, s]));
  const place = (name: string) => {
    if (placed.has(name)) return;
    placed.add(name);
    const service = byName.get(name)!;
    for (const d of service.dependsOn) place(d.service);
    ordered.push({ name, wave: waveIndex.get(service.wave)!, dependsOn: service.dependsOn.map((d) => d.service) });
  };
  for (const service of plan.services) place(service.name);
  return ordered;
}
