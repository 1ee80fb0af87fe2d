/**
 * Supervision numbers (issue 11), not a test: `npx tsc -p bench/tsconfig.json && node dist-bench/bench/supervision-bench.js`
 * 1. kill -9 of a supervised process, N times: time until `status` shows it down, and until it is healthy again.
 * 2. 200 idle supervised services for a few minutes: the worker's CPU (share of one core) and memory, and the
 *    stack's history growth in events per service per hour.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleBootWorkflows } from '../src/engine/boot-workflow-bundle';
import { stringify } from 'yaml';
import { BootClient } from '../src/client/boot-client';
import type { StackStatus } from '../src/contract/supervision';
import { ProcessDriver } from '../src/drivers/process/process-driver';
import { loadPlan } from '../src/plan/load-plan';
import type { ResolvedPlan } from '../src/plan/types';
import { startDevServer } from '../src/temporal/dev-server';
import { findTemporalCli } from '../src/temporal/temporal-cli';
import { BenchWorker } from './worker-process';

const healthService = join(__dirname, '..', '..', 'examples', 'services', 'health-service.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

function load(dir: string, doc: object): ResolvedPlan {
  const file = join(dir, `plan-${Date.now()}.yaml`);
  writeFileSync(file, stringify(doc));
  const result = loadPlan(file);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}
const rssMiB = (pid: number) =>
  Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'bootwave-sup-bench-'));
  process.env.BOOTWAVE_STATE_DIR = join(workDir, 'state');
  const kills = Number(process.env.KILLS ?? 10);
  const idleServices = Number(process.env.SERVICES ?? 200);
  const idleMs = Number(process.env.IDLE_MS ?? 180_000);
  const server = await startDevServer({
    source: findTemporalCli(process.env, (line) => process.stderr.write(`${line}\n`)),
    dbFile: join(workDir, 'temporal.db'),
    logFile: join(workDir, 'temporal.log'),
    startTimeoutMs: 120_000,
  });
  const bundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, await bundleBootWorkflows());
  const taskQueue = 'sup-bench';
  const worker = await BenchWorker.start({
    address: server.address,
    taskQueue,
    bundlePath,
    stateDir: join(workDir, 'state'),
    logFile: join(workDir, 'worker.log'),
    timeoutMs: 60_000,
    // e.g. WORKER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the worker (written when it stops).
    nodeArgs: (process.env.WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  });
  const pid = worker.child.pid!;
  const client = await BootClient.connect({ address: server.address, taskQueue });
  const plans: ResolvedPlan[] = [];
  try {
    // 1. Detection and recovery after kill -9, at the default 1 s interval.
    const port = 18500;
    const one = load(workDir, {
      name: 'sup-bench-kill',
      services: {
        svc: {
          process: { command: ['node', healthService, '--name', 'svc', '--port', String(port)] },
          health: { check: { kind: 'http', url: `http://127.0.0.1:${port}/health` }, startPeriod: '20s' },
          startLimitBurst: 1000,
          restartBackoff: { initial: '100ms' },
        },
      },
    });
    plans.push(one);
    const { stack } = await client.up(one);
    const svc = (s: StackStatus) => s.services.find((x) => x.name === 'svc');
    const until = async (what: string, test: (s: StackStatus) => boolean, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await stack.status().catch(() => undefined);
        if (status && test(status)) return Date.now();
        if (Date.now() > deadline) throw new Error(`${what} not reached after ${timeoutMs} ms`);
        await sleep(20);
      }
    };
    await until('supervising', (s) => s.phase === 'supervising' && svc(s)?.phase === 'healthy');
    const detect: number[] = [];
    const recover: number[] = [];
    for (let i = 0; i < kills; i++) {
      const record = JSON.parse(
        readFileSync(join(workDir, 'state', 'processes', one.name, 'svc', 'process.json'), 'utf8'),
      ) as { pid: number };
      const child = Number(
        readFileSync(`/proc/${record.pid}/task/${record.pid}/children`, 'utf8').trim().split(/\s+/)[0],
      );
      await sleep(500 + Math.random() * 1000); // not in step with the probe interval
      const killedAt = Date.now();
      process.kill(child, 'SIGKILL');
      detect.push(
        (await until('down', (s) => svc(s)?.restarts === i + 1 || svc(s)?.phase === 'restarting')) - killedAt,
      );
      recover.push(
        (await until('healthy', (s) => svc(s)?.phase === 'healthy' && svc(s)?.restarts === i + 1)) - killedAt,
      );
    }
    if (kills > 0)
      console.log(`kill -9 → status shows it (n=${kills}): median ${pct(detect, 50)} ms, p95 ${pct(detect, 95)} ms`);
    if (kills > 0) console.log(`kill -9 → healthy again: median ${pct(recover, 50)} ms, p95 ${pct(recover, 95)} ms`);
    await stack.end('bench');

    // 2. Idle supervision of many services: `sleep` processes probed over TCP against one shared listener, so the
    // cost measured is the worker's (inspect + probe per service per second), not 200 Node services'.
    const shared = 18600;
    // Waves of 25: one wave workflow per 25 services keeps each workflow task short on a loaded machine (one wave
    // of 200 timed out its workflow tasks at 2 shared cores and a load of 15, and the worker gave up).
    const waves = Math.ceil(idleServices / 25);
    // The services' steady check interval (INTERVAL=5s): the idle cost is mostly one inspect and one check per
    // service per interval.
    const steadyInterval = process.env.INTERVAL ?? '1s';
    const many = load(workDir, {
      name: 'sup-bench-idle',
      waves: [{ name: 'base' }, ...Array.from({ length: waves }, (_, w) => ({ name: `w${w}` }))],
      services: {
        listener: {
          wave: 'base',
          process: { command: ['node', healthService, '--name', 'listener', '--port', String(shared)] },
          health: { check: { kind: 'tcp', host: '127.0.0.1', port: shared } },
        },
        ...Object.fromEntries(
          Array.from({ length: idleServices }, (_, i) => [
            `s${i}`,
            {
              wave: `w${Math.floor(i / 25)}`,
              process: { command: ['sleep', 'infinity'] },
              dependsOn: ['listener'],
              health: { check: { kind: 'tcp', host: '127.0.0.1', port: shared }, interval: steadyInterval },
            },
          ]),
        ),
      },
    });
    plans.push(many);
    // 60 s by default, so that history growth shows within the run; WATCH_WINDOW_MS=3600000 is the product's default
    // (a window's end costs a workflow task and a new activity per service: 200 a minute at 60 s).
    const windowMs = Number(process.env.WATCH_WINDOW_MS ?? 60_000);
    const up = await client.up(many, { watchWindowMs: windowMs });
    const deadline = Date.now() + 300_000;
    // Queries can time out while the stack's first workflow task after a 200-service boot runs: keep asking.
    let status = await up.stack.status().catch(() => undefined);
    while (status?.phase !== 'supervising') {
      if (Date.now() > deadline) throw new Error('idle stack not supervising after 300 s');
      await sleep(500);
      status = await up.stack.status().catch(() => undefined);
    }
    await sleep(10_000); // let the watches settle
    const ticksPerSecond = 100;
    const t0 = Date.now();
    const c0 = cpuTicks(pid);
    const h0 = (await up.stack.status()).historyLength;
    const rss: number[] = [];
    while (Date.now() - t0 < idleMs) {
      await sleep(5000);
      rss.push(rssMiB(pid));
    }
    const seconds = (Date.now() - t0) / 1000;
    const cpu = (cpuTicks(pid) - c0) / ticksPerSecond / seconds;
    const final = (await up.stack.status().catch(() => undefined)) ?? (await up.stack.status());
    // A continue-as-new in between restarts the count: the number is then not comparable, and says so (NaN).
    const events = final.runs > status.runs ? NaN : final.historyLength - h0;
    const perServiceHour = (events / (idleServices + 1)) * (3600 / seconds);
    console.log(
      `${idleServices} idle services checked every ${steadyInterval} for ${seconds.toFixed(0)} s: worker CPU ${(cpu * 100).toFixed(1)}% of one core, RSS median ${pct(rss, 50).toFixed(0)} MiB (max ${Math.max(...rss).toFixed(0)} MiB)`,
    );
    console.log(
      `history: ${events} events in ${seconds.toFixed(0)} s with a ${windowMs / 1000} s watch window = ${perServiceHour.toFixed(1)} events per service per hour (runs: ${final.runs})`,
    );
    await up.stack.end('bench');
  } finally {
    await client.close();
    await worker.stop();
    for (const plan of plans)
      for (const service of plan.services)
        await new ProcessDriver(join(workDir, 'state')).stop({ plan: plan.name, bootId: '' }, service);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `supervision bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
