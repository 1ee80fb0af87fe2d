import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { Strategy } from '../../src/plan/boot-input';
import { run } from './kube-tools';

// Compiled to dist-bench/bench/kubernetes/: the repository is three levels up.
const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'dist', 'cli', 'main.js');
const kubectlWaves = join(repoRoot, 'bench', 'kubernetes', 'kubectl-waves.sh');

export const kosmosNamespace = 'kosmos';

/** The two ways of booting KOSMOS side by side. */
export type KosmosTool = 'kubectl' | `bootwave-${Strategy}`;

export interface KosmosRun {
  tool: KosmosTool;
  run: number;
  /** Command start → command exit: what the user waits for. */
  totalMs: number;
  /** bootwave only: command start → the first service's start (CLI, connection and in-process worker start-up). */
  firstStartMs?: number;
  /** bootwave only: command start → the last service's `readyAtMs` (the rest is the CLI stopping its worker). */
  readyMs?: number;
  load1: number;
}

/**
 * A copy of examples/kosmos for the benchmark, in `dir`, with every service's `health` removed: its http/tcp/exec
 * checks name cluster DNS names (`*.kosmos.svc`) that do not resolve outside the cluster, so both tools gate on the
 * same thing: the controllers' rollout status (a Job: its Complete condition).
 */
export function kosmosBenchPlan(dir: string): { planFile: string; manifests: string } {
  const copy = join(dir, 'kosmos');
  cpSync(join(repoRoot, 'examples', 'kosmos'), copy, { recursive: true });
  const planFile = join(copy, 'plan.yaml');
  const doc = parseDocument(readFileSync(planFile, 'utf8'));
  const services = doc.get('services');
  if (!isMap(services)) throw new Error(`${planFile}: no services map`);
  for (const { key } of services.items) {
    doc.deleteIn(['services', key, 'health']);
  }
  writeFileSync(planFile, doc.toString());
  return { planFile, manifests: join(copy, 'manifests') };
}

/** The seed-style script: `kubectl apply` + `kubectl rollout status` wave by wave. */
export async function kubectlRun(manifests: string, n: number): Promise<KosmosRun> {
  const load1 = loadavg()[0]!;
  const ran = await run('bash', [kubectlWaves, manifests, kosmosNamespace]);
  return { tool: 'kubectl', run: n, totalMs: ran.endedAtMs - ran.startedAtMs, load1 };
}

interface StatusJson {
  phase: string;
  failure?: string;
  services: { name: string; phase: string; startedAtMs?: number; readyAtMs?: number }[];
}

/**
 * `bootwave up <plan> --strategy <s>` as a user runs it (the CLI with its in-process worker), against the dev
 * server in `env.TEMPORAL_ADDRESS`; then `bootwave status --json` (not timed) for the services' ready times.
 */
export async function bootwaveRun(
  planFile: string,
  strategy: Strategy,
  n: number,
  env: NodeJS.ProcessEnv,
): Promise<KosmosRun> {
  const id = `bwbench-kosmos-${strategy}-${n}-${process.pid}`;
  const load1 = loadavg()[0]!;
  const ran = await run(process.execPath, [cli, 'up', planFile, '--strategy', strategy, '--id', id], env);
  const statusOut = (await run(process.execPath, [cli, 'status', planFile, '--id', id, '--json'], env)).out;
  const status = JSON.parse(statusOut.slice(statusOut.indexOf('{'))) as StatusJson;
  if (status.phase !== 'succeeded') throw new Error(`boot ${id} ended ${status.phase}: ${status.failure ?? ''}`);
  const lastReadyMs = Math.max(
    ...status.services.map((s) => {
      if (s.readyAtMs === undefined) throw new Error(`boot ${id}: ${s.name} has no ready time (${s.phase})`);
      return s.readyAtMs;
    }),
  );
  const firstStartMs = Math.min(...status.services.map((s) => s.startedAtMs ?? Number.POSITIVE_INFINITY));
  return {
    tool: `bootwave-${strategy}`,
    run: n,
    totalMs: ran.endedAtMs - ran.startedAtMs,
    firstStartMs: firstStartMs - ran.startedAtMs,
    readyMs: lastReadyMs - ran.startedAtMs,
    load1,
  };
}
