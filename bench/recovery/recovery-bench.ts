/**
 * Recovery benchmark (issue 14): boots the demo plan on a worker in its own process, kills the worker -9 at a
 * random point of the boot, starts a new worker 0–3 s later, and measures from the histories how long the new
 * worker took to continue the boot. Prints one row per round and the median / p95 / max.
 * Usage: node dist-bench/bench/recovery/recovery-bench.js [--rounds 12] [--seed N] [--label after]
 *   [--kill-window 300-3300] [--gap-max 3000]
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleBootWorkflows } from '../../src/engine/boot-workflow-bundle';
import { BootClient } from '../../src/client/boot-client';
import { loadPlan } from '../../src/plan/load-plan';
import type { ResolvedPlan } from '../../src/plan/types';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePortIn } from '../../src/temporal/free-port';
import { findTemporalCli } from '../../src/temporal/temporal-cli';
import type { TeardownResult } from '../../src/contract/workflows';
import { percentile } from '../boot-metrics';
import { seededRandom } from '../generate-plan';
import { BenchWorker } from '../worker-process';
import { recoveryOf, timelineEvents, type Recovery, type TimelineEvent } from './recovery-timeline';

const repoRoot = resolve(__dirname, '..', '..', '..');

function argValue(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The demo plan under a unique name, on free ports, with every command wrapped so that each start of a service
 * appends a line to `<markers>/<service>.starts`: a service started twice, or a one-shot run twice, shows.
 */
async function demoPlan(name: string, markers: string): Promise<ResolvedPlan> {
  const loaded = loadPlan(join(repoRoot, 'examples', 'demo', 'plan.yaml'));
  if (!loaded.ok) throw new Error(`Failed to load the demo plan: ${loaded.errors.map((e) => e.message).join('; ')}`);
  let json = JSON.stringify({ ...loaded.plan, name });
  for (const port of new Set(json.match(/\b183(?:0[1-9]|1[0-9])\b/g) ?? []))
    json = json.replace(new RegExp(`\\b${port}\\b`, 'g'), String(await freePortIn(21_000, 32_000)));
  const plan = JSON.parse(json) as ResolvedPlan;
  for (const service of plan.services) {
    if (service.target.driver !== 'process') continue;
    const file = join(markers, `${service.name}.starts`);
    service.target.command = ['sh', '-c', 'echo started >> "$0"; exec "$@"', file, ...service.target.command];
  }
  return plan;
}

/**
 * Samples a process's CPU time (user + system, /proc/<pid>/stat) every 100 ms, so the CPU it spent in a window can
 * be read afterwards: a worker that sits idle while a boot waits is waiting on the server's timeouts.
 */
function sampleCpu(pid: number) {
  const tickMs = 10; // USER_HZ = 100 on Linux
  const samples: { atMs: number; cpuMs: number }[] = [];
  const take = () => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      samples.push({ atMs: Date.now(), cpuMs: (Number(fields[11]) + Number(fields[12])) * tickMs });
    } catch {
      // The worker has exited.
    }
  };
  take();
  const timer = setInterval(take, 100);
  const at = (ms: number) => (samples.find((s) => s.atMs >= ms) ?? samples.at(-1))?.cpuMs ?? Number.NaN;
  return {
    stop: () => clearInterval(timer),
    usedMs: (fromMs: number, toMs: number) => at(toMs) - at(fromMs),
  };
}

const startsOf = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;

interface Round {
  round: number;
  killAtMs: number;
  gapMs: number;
  workerStartMs: number;
  phase: string;
  totalMs: number;
  recovery?: Recovery;
  /** CPU time the new worker spent between its start and the boot's full resumption: busy, or waiting? */
  stallCpuMs: number;
  /** Services started more than once (one-shots included). */
  twice: string[];
  load1: number;
}

async function runRound(
  env: { client: Client; address: string; bundlePath: string; workDir: string },
  round: number,
  random: () => number,
  window: { from: number; to: number; gapMax: number },
): Promise<Round> {
  const id = randomUUID().slice(0, 6);
  const name = `recovery-${round}-${id}`;
  const markers = mkdtempSync(join(env.workDir, `${name}-`));
  const plan = await demoPlan(name, markers);
  const taskQueue = `recovery-${id}`;
  const workerOptions = (label: string) => ({
    address: env.address,
    taskQueue,
    bundlePath: env.bundlePath,
    stateDir: join(env.workDir, 'state'),
    logFile: join(env.workDir, `worker-${name}-${label}.log`),
    timeoutMs: 60_000,
  });
  const killDelayMs = window.from + random() * (window.to - window.from);
  const gapMs = random() * window.gapMax;
  const load1 = loadavg()[0]!;
  const first = await BenchWorker.start(workerOptions('a'));
  const boots = new BootClient(env.client, taskQueue);
  let second: BenchWorker | undefined;
  try {
    const requestedAtMs = Date.now();
    const handle = await boots.start(plan, { strategy: 'dag', workflowId: `bootwave-${name}` });
    await sleep(killDelayMs - (Date.now() - requestedAtMs));
    const killAtMs = Date.now();
    await first.kill();
    await sleep(gapMs);
    const spawnAtMs = Date.now();
    second = await BenchWorker.start(workerOptions('b'));
    const newStartMs = Date.now();
    const cpu = sampleCpu(second.child.pid!);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      handle.result(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`boot ${name} not finished after 240000 ms`)), 240_000);
      }),
    ]).finally(() => {
      clearTimeout(timer); // else the last round's timer keeps the harness alive for 4 minutes
      cpu.stop();
    });
    const events: TimelineEvent[] = [];
    for (const workflowId of [handle.workflowId, ...result.waves.map((w) => w.workflowId)]) {
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      events.push(...timelineEvents(workflowId, history));
    }
    const finishedAtMs = Math.max(...events.map((e) => e.atMs));
    const recovery =
      finishedAtMs > killAtMs
        ? recoveryOf(events, killAtMs, newStartMs, `${second.child.pid}@${hostname()}`)
        : undefined;
    return {
      round,
      killAtMs: killAtMs - requestedAtMs,
      gapMs: spawnAtMs - killAtMs,
      workerStartMs: newStartMs - spawnAtMs,
      phase: result.phase,
      totalMs: finishedAtMs - requestedAtMs,
      recovery,
      stallCpuMs: recovery ? cpu.usedMs(newStartMs, newStartMs + recovery.resumedMs) : Number.NaN,
      twice: plan.services
        .filter((s) => startsOf(join(markers, `${s.name}.starts`)) > 1)
        .map((s) => `${s.name}×${startsOf(join(markers, `${s.name}.starts`))}`),
      load1,
    };
  } finally {
    const worker = second ?? (await BenchWorker.start(workerOptions('down')));
    const down = await env.client.workflow.execute<(p: ResolvedPlan) => Promise<TeardownResult>>('teardownWorkflow', {
      taskQueue,
      workflowId: `bench-down-${name}`,
      args: [plan],
    });
    if (down.failed.length > 0) process.stderr.write(`teardown of ${name}: ${down.failed.length} stops failed\n`);
    await worker.stop();
    await first.kill();
  }
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const ms = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '—');

async function main(): Promise<void> {
  const rounds = Number(argValue('--rounds', '12'));
  const seed = Number(argValue('--seed', String(Date.now() % 100_000)));
  const label = argValue('--label', 'current');
  const [from = 300, to = 3300] = argValue('--kill-window', '300-3300').split('-').map(Number);
  const gapMax = Number(argValue('--gap-max', '3000'));
  const random = seededRandom(seed);
  const workDir = mkdtempSync(join(tmpdir(), 'bootwave-recovery-bench-'));
  const source = findTemporalCli(process.env, (line) => process.stderr.write(`${line}\n`));
  const server = await startDevServer({
    source,
    dbFile: join(workDir, 'temporal.db'),
    logFile: join(workDir, 'temporal.log'),
    startTimeoutMs: 120_000,
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: 'default' });
  let failed = false;
  try {
    const bundlePath = join(workDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, await bundleBootWorkflows());
    const env = { client, address: server.address, bundlePath, workDir };
    console.log(
      `# bootwave recovery benchmark (${label}) — ${new Date().toISOString()} — seed ${seed} — demo plan, dag, ` +
        `kill at ${from}–${to} ms, new worker 0–${gapMax} ms later — work dir ${workDir}`,
    );
    const header = [
      'round',
      'kill at ms',
      'in flight at the kill',
      'kill → new worker ms',
      'worker start-up ms',
      'first step ms',
      'resumed ms',
      'worker CPU until resumed ms',
      'picked up last',
      'boot ms',
      'phase',
      'started twice',
      'load',
    ];
    console.log(row(header));
    console.log(row(header.map(() => '---')));
    const done: Round[] = [];
    for (let round = 1; round <= rounds; round++) {
      try {
        const r = await runRound(env, round, random, { from, to, gapMax });
        done.push(r);
        console.log(
          row([
            r.round,
            ms(r.killAtMs),
            r.recovery ? r.recovery.inFlight.join(', ') || 'nothing' : 'boot had ended',
            ms(r.gapMs),
            ms(r.workerStartMs),
            ms(r.recovery?.firstStepMs ?? Number.NaN),
            ms(r.recovery?.resumedMs ?? Number.NaN),
            ms(r.stallCpuMs),
            r.recovery?.lastResumed ?? '—',
            ms(r.totalMs),
            r.phase,
            r.twice.join(', ') || '—',
            r.load1.toFixed(1),
          ]),
        );
      } catch (error) {
        failed = true;
        console.log(row([round, `FAILED: ${error instanceof Error ? error.message : String(error)}`]));
      }
    }
    const recovered = done.flatMap((r) => (r.recovery ? [r.recovery] : []));
    const stats = (values: number[]) =>
      `median ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))}, max ${ms(Math.max(...values))}`;
    console.log(`\n## Summary (${label}, ${recovered.length} rounds killed mid-boot of ${done.length})\n`);
    console.log(
      `- new worker's start → its first step of the boot (ms): ${stats(recovered.map((r) => r.firstStepMs))}`,
    );
    console.log(`- new worker's start → everything waiting resumed (ms): ${stats(recovered.map((r) => r.resumedMs))}`);
    console.log(
      `- resumed later than 3 s after the new worker's start: ${recovered.filter((r) => r.resumedMs > 3000).length}`,
    );
    console.log(
      `- phases: ${[...new Set(done.map((r) => r.phase))].map((p) => `${p} ×${done.filter((r) => r.phase === p).length}`).join(', ')}`,
    );
    console.log(`- rounds with a service started twice: ${done.filter((r) => r.twice.length > 0).length}`);
  } finally {
    await connection.close();
    await server.stop();
    if (!failed && process.env.BOOTWAVE_BENCH_KEEP !== '1') rmSync(workDir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`recovery bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
