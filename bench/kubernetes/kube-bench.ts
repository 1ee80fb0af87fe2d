/**
 * The Kubernetes benchmark (issue 5, "Numbers"), run by bench/kubernetes/run.sh on a local kwok cluster:
 * 1. KOSMOS (examples/kosmos, checks removed) booted by the seed-style `kubectl apply` + `kubectl rollout status`
 *    script and by `bootwave up --strategy waves|dag`, interleaved, the namespace deleted between runs;
 * 2. a generated plan of 1,000 Deployments in 8 waves booted by bootwave (time, worker peak RSS, largest history),
 *    against the floor the control plane allows: the same manifests in one `kubectl apply`, then `kubectl wait`.
 * Usage: node kube-bench.js [--runs 3] [--warmup 1] [--only kosmos,scale] [--scale-services 1000]
 *   [--scale-strategies waves,dag] [--json out.json]
 * Needs KUBECONFIG (the cluster) and KUBECTL (a kubectl binary).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Strategy } from '../../src/plan/boot-input';
import { startDevServer } from '../../src/temporal/dev-server';
import { findTemporalCli } from '../../src/temporal/temporal-cli';
import {
  bootwaveRun,
  kosmosBenchPlan,
  kosmosNamespace,
  kubectlRun,
  type KosmosRun,
  type KosmosTool,
} from './kosmos-runs';
import { deleteNamespace, kubectl, median, row, seconds } from './kube-tools';
import { kubectlFloorRun, scaleRun, type ScaleFigures } from './scale-run';

function argValue(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const tools: KosmosTool[] = ['kubectl', 'bootwave-waves', 'bootwave-dag'];

/** One run of a tool on a namespace that does not exist yet; the namespace is deleted (and gone) afterwards. */
async function kosmosOnce(
  tool: KosmosTool,
  n: number,
  plan: { planFile: string; manifests: string },
  env: NodeJS.ProcessEnv,
) {
  try {
    return tool === 'kubectl'
      ? await kubectlRun(plan.manifests, n)
      : await bootwaveRun(plan.planFile, tool === 'bootwave-waves' ? 'waves' : 'dag', n, env);
  } finally {
    await deleteNamespace(kosmosNamespace);
  }
}

async function kosmosComparison(runs: number, warmups: number, workDir: string, address: string): Promise<KosmosRun[]> {
  const plan = kosmosBenchPlan(workDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: address,
    BOOTWAVE_STATE_DIR: join(workDir, 'state'),
  };
  await deleteNamespace(kosmosNamespace);
  // Untimed: kubectl's discovery cache and the CLI's modules warm, as on a machine that booted KOSMOS before.
  for (let w = 1; w <= warmups; w++)
    for (const tool of tools) {
      const r = await kosmosOnce(tool, -w, plan, env);
      console.log(`warm-up ${tool.padEnd(14)} ${seconds(r.totalMs)} s (not counted)`);
    }
  const results: KosmosRun[] = [];
  for (let n = 1; n <= runs; n++) {
    // Interleaved, so drift in the shared machine's load hits every tool alike.
    for (const tool of tools) {
      const r = await kosmosOnce(tool, n, plan, env);
      results.push(r);
      console.log(
        `kosmos ${tool.padEnd(14)} run ${n}: ${seconds(r.totalMs)} s command→exit` +
          (r.firstStartMs === undefined ? '' : `, ${seconds(r.firstStartMs)} s command→first start`) +
          (r.readyMs === undefined ? '' : `, ${seconds(r.readyMs)} s command→last ready`) +
          ` (load ${r.load1.toFixed(2)})`,
      );
    }
  }
  const header = ['run', 'tool', 'command → exit s', 'command → first start s', 'command → last ready s', 'load avg'];
  console.log('\n' + row(header));
  console.log(row(header.map(() => '---')));
  for (const r of results)
    console.log(
      row([String(r.run), r.tool, seconds(r.totalMs), seconds(r.firstStartMs), seconds(r.readyMs), r.load1.toFixed(2)]),
    );
  console.log(
    '\n' +
      row([
        'tool',
        `command → exit, median of ${runs} s (runs)`,
        'command → first start, median s',
        'command → last ready, median s',
      ]),
  );
  console.log(row(['---', '---', '---', '---']));
  for (const tool of tools) {
    const rs = results.filter((r) => r.tool === tool);
    const ready = rs.flatMap((r) => (r.readyMs === undefined ? [] : [r.readyMs]));
    const first = rs.flatMap((r) => (r.firstStartMs === undefined ? [] : [r.firstStartMs]));
    console.log(
      row([
        tool,
        `${seconds(median(rs.map((r) => r.totalMs)))} (${rs.map((r) => seconds(r.totalMs)).join(', ')})`,
        first.length ? seconds(median(first)) : '–',
        ready.length ? seconds(median(ready)) : '–',
      ]),
    );
  }
  return results;
}

const mib = (bytes: number) => String(Math.round(bytes / 1024 / 1024));

async function scaleRuns(
  services: number,
  strategies: Strategy[],
  workDir: string,
  address: string,
): Promise<ScaleFigures[]> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const results: ScaleFigures[] = [];
  let floorMs: number | undefined;
  try {
    floorMs = await kubectlFloorRun({ workDir }, services);
    console.log(`scale ${services} Deployments, kubectl apply of all + wait Available: ${seconds(floorMs)} s`);
    for (const strategy of strategies) {
      const f = await scaleRun({ client, address, workDir }, { services, waves: 8, strategy });
      results.push(f);
      console.log(
        `scale ${services} Deployments ${strategy}: ${seconds(f.totalMs)} s, ${f.availableDeployments} available, ` +
          `worker peak ${mib(f.workerPeakRssBytes)} MiB, largest history ${f.maxHistoryEvents} events ` +
          `(${f.maxHistoryWorkflow}), teardown ${seconds(f.teardownMs)} s (load ${f.load1.toFixed(2)})`,
      );
    }
  } finally {
    await connection.close();
  }
  const header = [
    'plan',
    'strategy',
    'total s',
    'floor s',
    'barrier floor s',
    'overhead s',
    'hand-off p50 / p95 ms',
    'Deployments available',
    'worker peak RSS MiB',
    'max history (events)',
    'workflows',
    'namespace delete s',
    'load avg',
    'total / kubectl floor',
  ];
  console.log('\n' + row(header));
  console.log(row(header.map(() => '---')));
  for (const f of results)
    console.log(
      row([
        `${f.services} Deployments, 8 waves`,
        f.strategy,
        seconds(f.totalMs),
        seconds(f.floorMs),
        seconds(f.barrierFloorMs),
        seconds(f.overheadMs),
        `${Math.round(f.handOffMedianMs)} / ${Math.round(f.handOffP95Ms)}`,
        `${f.availableDeployments} / ${f.services}`,
        mib(f.workerPeakRssBytes),
        `${f.maxHistoryEvents} (${f.maxHistoryWorkflow})`,
        String(f.workflows),
        seconds(f.teardownMs),
        f.load1.toFixed(2),
        floorMs === undefined ? '–' : `${(f.totalMs / floorMs).toFixed(2)}×`,
      ]),
    );
  if (floorMs !== undefined)
    console.log(
      `\nkubectl floor: one \`kubectl apply --server-side\` of all ${services} manifests, then \`kubectl wait --for=condition=Available\`: ${seconds(floorMs)} s`,
    );
  return results;
}

async function main(): Promise<void> {
  const runs = Number(argValue('--runs', '3'));
  const warmups = Number(argValue('--warmup', '1'));
  const only = argValue('--only', 'kosmos,scale').split(',');
  const services = Number(argValue('--scale-services', '1000'));
  const strategies = argValue('--scale-strategies', 'waves,dag').split(',') as Strategy[];
  const jsonOut = argValue('--json', '');
  const workDir = mkdtempSync(join(tmpdir(), 'bootwave-bench-kube-'));
  // One dev server for the whole benchmark, started before any timing (as `bootwave dev` would be).
  const server = await startDevServer({
    source: findTemporalCli(process.env, (line) => process.stderr.write(`${line}\n`)),
    dbFile: join(workDir, 'temporal.db'),
    logFile: join(workDir, 'temporal.log'),
    startTimeoutMs: 120_000,
  });
  let ok = false;
  const results: { kosmos?: KosmosRun[]; scale?: ScaleFigures[] } = {};
  try {
    const version = (await kubectl(['version', '-o', 'json'])).out;
    const server_ = (JSON.parse(version) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion;
    const nodes = (await kubectl(['get', 'nodes', '-o', 'name'])).out.trim().split('\n').length;
    console.log(`# bootwave Kubernetes benchmark — ${new Date().toISOString()} — work dir ${workDir}`);
    console.log(
      `cluster: kube-apiserver ${server_ ?? '?'}, ${nodes} kwok nodes; Temporal dev server ${server.address}`,
    );
    if (only.includes('kosmos')) results.kosmos = await kosmosComparison(runs, warmups, workDir, server.address);
    if (only.includes('scale')) results.scale = await scaleRuns(services, strategies, workDir, server.address);
    ok = true;
  } finally {
    await server.stop();
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
    if (ok && process.env.BOOTWAVE_BENCH_KEEP !== '1') rmSync(workDir, { recursive: true, force: true });
    else console.error(`bench: work dir kept: ${workDir}`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
