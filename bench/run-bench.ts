/**
 * The boot-engine benchmark: boots the demo plan and generated 200- and 1,000-service plans with both strategies
 * against a fresh Temporal dev server and a worker in its own process, and prints the figures of issue 3; then, for
 * the generated plans, the same graph on Temporal alone (`floor/`), for what the engine allows on this machine.
 * Usage: node dist-bench/bench/run-bench.js [--only demo,200,1000] [--runs-demo 3] [--runs-big 1]
 *   [--dynamic-config key=value] (passed to the dev server, to compare server settings)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundleBootWorkflows, quietLogger } from '../src/engine/boot-workflow-bundle';
import { BootClient } from '../src/client/boot-client';
import type { Strategy } from '../src/plan/boot-input';
import { loadPlan } from '../src/plan/load-plan';
import type { ResolvedPlan } from '../src/plan/types';
import { startDevServer } from '../src/temporal/dev-server';
import { freePortIn } from '../src/temporal/free-port';
import { findTemporalCli } from '../src/temporal/temporal-cli';
import type { TeardownResult } from '../src/contract/workflows';
import { allowedStarts, bootMetrics, median, type BootMetrics } from './boot-metrics';
import { generatePlanYaml } from './generate-plan';
import { handOffPath, type HandOffPath } from './hand-off-path';
import type { History } from './history-events';
import { addQueueWaits, type QueueWaits } from './history-latency';
import { BenchWorker } from './worker-process';
import { runFloor, type FloorFigures } from './floor/temporal-floor';

const repoRoot = resolve(__dirname, '..', '..');

interface PlanCase {
  label: string;
  runs: number;
  /** A fresh copy per run: unique name (workflow IDs, process markers) and, for the demo, free ports. */
  load: (name: string) => Promise<ResolvedPlan>;
}

interface RunFigures extends BootMetrics {
  maxHistoryEvents: number;
  maxHistoryWorkflow: string;
  workflows: number;
  workerPeakRssBytes: number;
  phase: string;
  /** The machine's 1-minute load average when the boot began: other work on the box inflates every figure. */
  load1: number;
  /** Diagnostics from the histories (medians over every task of the boot). */
  workflowTaskWaitP50Ms: number;
  workflowTaskRunP50Ms: number;
  activityTaskWaitP50Ms: number;
  /** Where the hand-offs' time went, step by step (`hand-off-path.ts`). */
  handOffPath: HandOffPath;
  /** `bootwave down` of the whole plan afterwards: the teardown workflow's start → result. */
  teardownMs: number;
}

function argValue(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function mustLoad(file: string): ResolvedPlan {
  const result = loadPlan(file);
  if (!result.ok) throw new Error(`Failed to load plan ${file}: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.plan;
}

/** The demo plan with its fixed ports 18301–18316 moved to free ones, so it never clashes with a running demo. */
async function demoPlan(name: string): Promise<ResolvedPlan> {
  const plan = mustLoad(join(repoRoot, 'examples', 'demo', 'plan.yaml'));
  let json = JSON.stringify({ ...plan, name });
  const ports = new Set(json.match(/\b183(?:0[1-9]|1[0-9])\b/g) ?? []);
  for (const port of ports)
    json = json.replace(new RegExp(`\\b${port}\\b`, 'g'), String(await freePortIn(21_000, 32_000)));
  return JSON.parse(json) as ResolvedPlan;
}

function generatedPlan(workDir: string, services: number) {
  return async (name: string): Promise<ResolvedPlan> => {
    const file = join(workDir, `${name}.yaml`);
    writeFileSync(file, generatePlanYaml({ name, services, waves: 8, seed: 42 }));
    return mustLoad(file);
  };
}

/** Every workflow's history (the boot and each wave child), in the order of `ids`. */
async function fetchHistories(client: Client, ids: string[]): Promise<History[]> {
  const histories: History[] = [];
  for (const id of ids) histories.push(await client.workflow.getHandle(id).fetchHistory());
  return histories;
}

/** The largest history and its workflow. */
function largestHistory(ids: string[], histories: History[]): { events: number; workflowId: string } {
  let largest = { events: 0, workflowId: '' };
  histories.forEach((history, i) => {
    const events = history.events?.length ?? 0;
    if (events > largest.events) largest = { events, workflowId: ids[i]! };
  });
  return largest;
}

type BenchEnv = { client: Client; address: string; bundlePath: string; floorBundlePath: string; workDir: string };

async function runOnce(env: BenchEnv, planCase: PlanCase, strategy: Strategy, run: number): Promise<RunFigures> {
  const id = randomUUID().slice(0, 6);
  const name = `bench-${planCase.label}-${strategy}-${run}-${id}`;
  const plan = await planCase.load(name);
  const taskQueue = `bench-${id}`;
  const worker = await BenchWorker.start({
    address: env.address,
    taskQueue,
    bundlePath: env.bundlePath,
    stateDir: join(env.workDir, 'state'),
    logFile: join(env.workDir, `worker-${name}.log`),
    timeoutMs: 60_000,
    // e.g. WORKER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile each run's worker (written when it stops).
    nodeArgs: (process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  });
  const boots = new BootClient(env.client, taskQueue);
  let tornDown = false;
  try {
    const load1 = loadavg()[0]!;
    const requestedAtMs = Date.now();
    const handle = await boots.start(plan, { strategy, onFailure: 'halt', workflowId: `bootwave-${name}` });
    const result = await handle.result();
    if (result.phase !== 'succeeded' && result.phase !== 'degraded')
      throw new Error(`boot ${name} ended ${result.phase}: ${result.failure ?? 'no failure text'}`);
    const metrics = bootMetrics(plan, result, requestedAtMs, strategy);
    const ids = [handle.workflowId, ...result.waves.map((w) => w.workflowId)];
    const histories = await fetchHistories(env.client, ids);
    const waits: QueueWaits = { workflowTaskMs: [], workflowRunMs: [], activityTaskMs: [] };
    for (const history of histories) addQueueWaits(history, waits);
    const largest = largestHistory(ids, histories);
    const startedAt = new Map(result.services.map((s) => [s.name, s.startedAtMs]));
    const path = handOffPath(histories.slice(1), allowedStarts(plan, result, requestedAtMs, strategy), (service) =>
      startedAt.get(service),
    );
    const workerPeakRssBytes = worker.peakRssBytes();
    const teardownMs = await tearDown(env, taskQueue, name, plan);
    tornDown = true;
    return {
      ...metrics,
      maxHistoryEvents: largest.events,
      maxHistoryWorkflow: largest.workflowId.slice(handle.workflowId.length) || '(boot)',
      workflows: ids.length,
      workerPeakRssBytes,
      phase: result.phase,
      load1,
      workflowTaskWaitP50Ms: median(waits.workflowTaskMs),
      workflowTaskRunP50Ms: median(waits.workflowRunMs),
      activityTaskWaitP50Ms: median(waits.activityTaskMs),
      handOffPath: path,
      teardownMs,
    };
  } finally {
    if (!tornDown) await tearDown(env, taskQueue, name, plan).catch(() => undefined);
    await worker.stop();
  }
}

/** `bootwave down`: the teardown workflow stops every service of the plan, on the same worker. Returns its ms. */
async function tearDown(env: { client: Client }, taskQueue: string, name: string, plan: ResolvedPlan): Promise<number> {
  const began = Date.now();
  const down = await env.client.workflow.execute<(p: ResolvedPlan) => Promise<TeardownResult>>('teardownWorkflow', {
    taskQueue,
    workflowId: `bench-down-${name}`,
    args: [plan],
  });
  if (down.failed.length > 0)
    process.stderr.write(`teardown of ${name}: ${down.failed.length} stops failed, first: ${down.failed[0]!.error}\n`);
  return Date.now() - began;
}

function describePath(path: HandOffPath): string {
  return (
    `hand-off path p50 ms (${path.samples} starts): to the wave's task ${fmt(path.toTaskMs)}, ` +
    `task wait ${fmt(path.taskWaitMs)}, task run ${fmt(path.taskRunMs)}, start picked up ${fmt(path.pickupMs)}, ` +
    `driver start ${fmt(path.driverStartMs)}`
  );
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : `${Math.round(ms)}`);
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)}`;

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

const header = row([
  'plan',
  'strategy',
  'run',
  'total ms',
  'floor ms',
  'barrier floor ms',
  'overhead ms',
  'dep→dependent p50 ms',
  'p95 ms',
  'hand-off p50 ms',
  'p95 ms',
  'max history (events)',
  'workflows',
  'worker peak RSS MiB',
  'load avg',
  'wf task wait/run p50 ms',
  'activity wait p50 ms',
  'teardown ms',
]);

function figuresRow(label: string, strategy: string, run: string, f: RunFigures): string {
  return row([
    label,
    strategy,
    run,
    fmt(f.totalMs),
    fmt(f.floorMs),
    fmt(f.barrierFloorMs),
    fmt(f.overheadMs),
    fmt(f.depLatencyMedianMs),
    fmt(f.depLatencyP95Ms),
    fmt(f.handOffMedianMs),
    fmt(f.handOffP95Ms),
    `${f.maxHistoryEvents} (${f.maxHistoryWorkflow})`,
    String(f.workflows),
    mib(f.workerPeakRssBytes),
    f.load1.toFixed(1),
    `${fmt(f.workflowTaskWaitP50Ms)}/${fmt(f.workflowTaskRunP50Ms)}`,
    fmt(f.activityTaskWaitP50Ms),
    fmt(f.teardownMs),
  ]);
}

const floorHeader = row([
  'plan',
  'strategy',
  'run',
  "each activity's work",
  'total ms',
  'hand-off p50 ms',
  'p95 ms',
  'wf task run p50 ms',
  'activity wait p50 ms',
  'worker peak RSS MiB',
]);

function floorRow(label: string, strategy: string, run: string, work: string, f: FloorFigures): string {
  return row([
    label,
    strategy,
    run,
    work,
    fmt(f.totalMs),
    fmt(f.handOffMedianMs),
    fmt(f.handOffP95Ms),
    fmt(f.workflowTaskRunP50Ms),
    fmt(f.activityTaskWaitP50Ms),
    mib(f.workerPeakRssBytes),
  ]);
}

/** A header row's `| --- |` line. */
const ruleOf = (headerRow: string) =>
  row(
    headerRow
      .split('|')
      .slice(1, -1)
      .map(() => '---'),
  );

function medianFigures(runs: RunFigures[]): RunFigures {
  const m = (pick: (f: RunFigures) => number) => median(runs.map(pick));
  const largest = runs.reduce((a, b) => (b.maxHistoryEvents > a.maxHistoryEvents ? b : a));
  return {
    totalMs: m((f) => f.totalMs),
    floorMs: m((f) => f.floorMs),
    barrierFloorMs: m((f) => f.barrierFloorMs),
    overheadMs: m((f) => f.overheadMs),
    depLatencyMedianMs: m((f) => f.depLatencyMedianMs),
    depLatencyP95Ms: m((f) => f.depLatencyP95Ms),
    handOffMedianMs: m((f) => f.handOffMedianMs),
    handOffP95Ms: m((f) => f.handOffP95Ms),
    depLatencySamples: largest.depLatencySamples,
    maxHistoryEvents: largest.maxHistoryEvents,
    maxHistoryWorkflow: largest.maxHistoryWorkflow,
    workflows: largest.workflows,
    workerPeakRssBytes: Math.max(...runs.map((f) => f.workerPeakRssBytes)),
    phase: largest.phase,
    load1: m((f) => f.load1),
    workflowTaskWaitP50Ms: m((f) => f.workflowTaskWaitP50Ms),
    workflowTaskRunP50Ms: m((f) => f.workflowTaskRunP50Ms),
    activityTaskWaitP50Ms: m((f) => f.activityTaskWaitP50Ms),
    handOffPath: largest.handOffPath, // printed per run, not summarised
    teardownMs: m((f) => f.teardownMs),
  };
}

async function main(): Promise<void> {
  const only = argValue('--only', 'demo,200,1000').split(',');
  const runsDemo = Number(argValue('--runs-demo', '3'));
  const runsBig = Number(argValue('--runs-big', '1'));
  const workDir = mkdtempSync(join(tmpdir(), 'bootwave-bench-'));
  const cases: PlanCase[] = [
    { label: 'demo', runs: runsDemo, load: demoPlan },
    { label: '200', runs: runsBig, load: generatedPlan(workDir, 200) },
    { label: '1000', runs: runsBig, load: generatedPlan(workDir, 1000) },
  ].filter((c) => only.includes(c.label));

  const source = findTemporalCli(process.env, (line) => process.stderr.write(`${line}\n`));
  const server = await startDevServer({
    source,
    dbFile: join(workDir, 'temporal.db'),
    logFile: join(workDir, 'temporal.log'),
    startTimeoutMs: 120_000,
    dynamicConfig: process.argv.flatMap((arg, i) => (arg === '--dynamic-config' ? [process.argv[i + 1] ?? ''] : [])),
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  const summary: string[] = [];
  const floorRows: string[] = [];
  const paths: string[] = [];
  let failed = false;
  try {
    // One bundle for every worker: bundling is webpack work that would otherwise dominate the worker's peak memory.
    const bundlePath = join(workDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, await bundleBootWorkflows());
    const floorBundlePath = join(workDir, 'floor-bundle.js');
    const floor = await bundleWorkflowCode({
      workflowsPath: require.resolve('./floor/floor-workflows'),
      logger: quietLogger,
    });
    writeFileSync(floorBundlePath, floor.code);
    const env: BenchEnv = { client, address: server.address, bundlePath, floorBundlePath, workDir };
    console.log(`# bootwave boot benchmark — ${new Date().toISOString()} — work dir ${workDir}`);
    console.log(header);
    console.log(ruleOf(header));
    for (const planCase of cases) {
      for (const strategy of ['waves', 'dag'] as const) {
        const runs: RunFigures[] = [];
        for (let run = 1; run <= planCase.runs; run++) {
          try {
            const figures = await runOnce(env, planCase, strategy, run);
            runs.push(figures);
            console.log(figuresRow(planCase.label, strategy, String(run), figures));
            paths.push(`- ${planCase.label}, ${strategy}, run ${run}: ${describePath(figures.handOffPath)}`);
            // The same graph on Temporal alone, right after: what the engine allows on this machine this minute.
            if (planCase.label !== 'demo')
              for (const spawnSleep of [false, true]) {
                const plan = await planCase.load(
                  `floor-${planCase.label}-${strategy}-${run}-${randomUUID().slice(0, 6)}`,
                );
                const work = spawnSleep ? 'spawn /bin/sleep' : 'none';
                floorRows.push(
                  floorRow(
                    planCase.label,
                    strategy,
                    String(run),
                    work,
                    await runFloor(env, plan, strategy, spawnSleep),
                  ),
                );
              }
          } catch (error) {
            failed = true;
            const text = error instanceof Error ? error.message : String(error);
            console.log(row([planCase.label, strategy, String(run), `FAILED: ${text}`]));
          }
        }
        if (runs.length > 0)
          summary.push(figuresRow(planCase.label, strategy, `median of ${runs.length}`, medianFigures(runs)));
      }
    }
    console.log('\n## Medians\n');
    console.log(header);
    console.log(ruleOf(header));
    for (const line of summary) console.log(line);
    console.log('\n## Where the hand-offs went\n');
    for (const line of paths) console.log(line);
    if (floorRows.length > 0) {
      console.log("\n## Temporal's floor: the same graph, one workflow and one activity per service\n");
      console.log(floorHeader);
      console.log(ruleOf(floorHeader));
      for (const line of floorRows) console.log(line);
    }
  } finally {
    await connection.close();
    await server.stop();
    if (!failed && process.env.BOOTWAVE_BENCH_KEEP !== '1') rmSync(workDir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
