/**
 * Docker Compose vs bootwave on the same engine (issue 4, "Numbers"): boots the 3-level service_healthy chain of
 * examples/compose-chain with `docker-compose up -d` and with `bootwave up`, and prints each run and the medians.
 * Usage (via bench/docker/run.sh): node compose-vs-bootwave.js [--runs 3] [--intervals 30s,2s]
 *   [--temporal cold,warm] [--tools compose,compose2,floor,bootwave] [--json out.json]
 * `floor` boots the same file by hand through the engine API (engine-floor.ts): the chain's floor on this engine.
 * `cold`: every `bootwave up` starts its own dev server (a first run); `warm`: `bootwave dev` already runs, as while
 * a user works on a stack, and `bootwave up` connects to it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { engineFloorRun } from './engine-floor';

// Compiled to dist-bench/docker/: the repository is two levels up.
const repoRoot = resolve(__dirname, '..', '..');
const chainFile = join(repoRoot, 'examples', 'compose-chain', 'docker-compose.yml');
const cli = join(repoRoot, 'dist', 'cli', 'main.js');

/** How bootwave gates a service: the engine's HEALTHCHECK (as Compose) or its own x-bootwave HTTP probe. */
type Gate = 'engine-healthcheck' | 'bootwave-probe';
/** Whether `bootwave up` starts its own Temporal dev server or finds `bootwave dev` running. */
type Temporal = 'cold' | 'warm';

interface RunResult {
  tool: 'compose' | 'compose-v2' | 'floor' | 'bootwave';
  interval: string;
  gate?: Gate;
  temporal?: Temporal;
  /** Command start → every service healthy/ready (the user's wait). */
  totalMs: number;
  /** bootwave and the floor: the first service start → last service ready. */
  bootSpanMs?: number;
  /** bootwave only: longest chain of measured start→ready durations. */
  floorMs?: number;
  load1: number;
}

function argValue(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Failed to run ${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

/** Runs a command to completion; resolves with its output, rejects with it on a non-zero exit. */
function runAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise(out) : reject(new Error(`Failed to run ${cmd} ${args.join(' ')}: ${out}`)),
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The chain file, optionally without its x-bootwave probes, written to `dir` (variables stay for substitution). */
function chainVariant(dir: string, gate: Gate): string {
  const doc = parse(readFileSync(chainFile, 'utf8'), { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
  };
  if (gate === 'engine-healthcheck') for (const service of Object.values(doc.services)) delete service['x-bootwave'];
  for (const key of Object.keys(doc)) if (key === 'x-service') delete (doc as Record<string, unknown>)[key];
  const file = join(dir, `docker-compose.${gate}.yml`);
  writeFileSync(file, stringify(doc, { aliasDuplicateObjects: false }));
  return file;
}

/** Each service's dependencies from the Compose file (for the critical-path floor). */
function dependencies(file: string): Map<string, string[]> {
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    services: Record<string, { depends_on?: string[] | Record<string, unknown> }>;
  };
  const deps = new Map<string, string[]>();
  for (const [name, svc] of Object.entries(doc.services)) {
    const d = svc.depends_on;
    deps.set(name, Array.isArray(d) ? d : Object.keys(d ?? {}));
  }
  return deps;
}

function chainEnv(interval: string, project: string, ports: number[]): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CHAIN_INTERVAL: interval,
    COMPOSE_PROJECT_NAME: project,
    CHAIN_PORT_A: String(ports[0]),
    CHAIN_PORT_B: String(ports[1]),
    CHAIN_PORT_C: String(ports[2]),
  };
}

let seq = 0;
function uniqueProject(prefix: string): string {
  seq += 1;
  return `${prefix}-${process.pid}-${seq}`;
}

/** Ports 18731–18733 (+10 per run), clear of the file's defaults and other benches. */
function portsFor(n: number): number[] {
  const base = 18731 + (n % 20) * 10;
  return [base, base + 1, base + 2];
}

async function composeRun(file: string, interval: string, n: number, services: number): Promise<RunResult> {
  const project = uniqueProject('bwbench-compose');
  const env = chainEnv(interval, project, portsFor(n));
  const load1 = loadavg()[0]!;
  const t0 = Date.now();
  try {
    // 1.29 has no `--wait`: `up -d` returns once the last service is created (its dependencies healthy); poll the rest.
    await runAsync('docker-compose', ['-p', project, '-f', file, 'up', '-d'], env);
    for (;;) {
      const healthy = run('docker', [
        'ps',
        '-q',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        'health=healthy',
      ]);
      if (healthy !== '' && healthy.split('\n').length === services) break;
      if (Date.now() - t0 > 600_000) throw new Error(`compose project ${project} not healthy after 600000 ms`);
      await sleep(100);
    }
    return { tool: 'compose', interval, totalMs: Date.now() - t0, load1 };
  } finally {
    run('docker-compose', ['-p', project, '-f', file, 'down', '-v', '-t', '1'], env);
  }
}

/**
 * Docker Compose v2 (built from source by scripts/lib/compose.sh; bench/docker/run.sh exports its path): `up -d
 * --wait` returns once every service is running and healthy, which is the user's wait itself.
 */
async function composeV2Run(file: string, interval: string, n: number): Promise<RunResult> {
  const bin = process.env.BOOTWAVE_COMPOSE_V2;
  if (!bin) throw new Error('BOOTWAVE_COMPOSE_V2 is not set: run the benchmark through bench/docker/run.sh');
  const project = uniqueProject('bwbench-compose');
  const env = chainEnv(interval, project, portsFor(n));
  const load1 = loadavg()[0]!;
  const t0 = Date.now();
  try {
    await runAsync(bin, ['-p', project, '-f', file, 'up', '-d', '--wait', '--wait-timeout', '600'], env);
    return { tool: 'compose-v2', interval, totalMs: Date.now() - t0, load1 };
  } finally {
    run(bin, ['-p', project, '-f', file, 'down', '-v', '-t', '1'], env);
  }
}

/** The hand-driven boot of the same file (engine-floor.ts), labelled for run.sh's cleanup. */
async function floorRun(file: string, interval: string, n: number): Promise<RunResult> {
  const project = uniqueProject('bwbench-floor');
  const load1 = loadavg()[0]!;
  const times = await engineFloorRun(file, chainEnv(interval, project, portsFor(n)), project);
  return { tool: 'floor', interval, totalMs: times.totalMs, bootSpanMs: times.spanMs, load1 };
}

interface ServiceTimes {
  name: string;
  phase: string;
  startedAtMs?: number;
  readyAtMs?: number;
}

/** `bootwave dev` in its own state dir, until `stop()`; resolves once it says the server and worker run. */
async function startBootwaveDev(): Promise<{ stateDir: string; stop(): Promise<void> }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bootwave-bench-dev-'));
  const env: NodeJS.ProcessEnv = { ...process.env, BOOTWAVE_STATE_DIR: stateDir };
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, [cli, 'dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`bootwave dev did not start in 120 s: ${out}`)), 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('worker running')) {
        clearTimeout(timer);
        resolvePromise();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`bootwave dev exited with ${code}: ${out}`)));
  });
  return {
    stateDir,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function bootwaveRun(
  file: string,
  interval: string,
  gate: Gate,
  n: number,
  devStateDir: string | undefined,
): Promise<RunResult> {
  const project = uniqueProject('bwbench-bootwave');
  const stateDir = devStateDir ?? mkdtempSync(join(tmpdir(), 'bootwave-bench-docker-'));
  const env: NodeJS.ProcessEnv = { ...chainEnv(interval, project, portsFor(n)), BOOTWAVE_STATE_DIR: stateDir };
  delete env.TEMPORAL_ADDRESS;
  const load1 = loadavg()[0]!;
  const t0 = Date.now();
  try {
    // As a user runs it: the CLI starts an in-process worker, and (cold) its embedded Temporal dev server or
    // (warm) connects to the one `bootwave dev` runs from the same state dir.
    await runAsync(process.execPath, [cli, 'up', file], env);
    const status = JSON.parse(await runAsync(process.execPath, [cli, 'status', file, '--json'], env).then(jsonOf)) as {
      phase: string;
      services: ServiceTimes[];
    };
    if (status.phase !== 'succeeded') throw new Error(`bootwave boot of ${project} ended ${status.phase}`);
    const byName = new Map(status.services.map((s) => [s.name, s]));
    const times = status.services.map((s) => {
      if (s.startedAtMs === undefined || s.readyAtMs === undefined)
        throw new Error(`bootwave service ${s.name} has no start/ready times (phase ${s.phase})`);
      return { name: s.name, start: s.startedAtMs, ready: s.readyAtMs };
    });
    const lastReady = Math.max(...times.map((t) => t.ready));
    const firstStart = Math.min(...times.map((t) => t.start));
    // Floor: the longest path of measured start→ready durations through depends_on.
    const deps = dependencies(file);
    const memo = new Map<string, number>();
    const longest = (name: string): number => {
      const known = memo.get(name);
      if (known !== undefined) return known;
      const s = byName.get(name)!;
      const own = s.readyAtMs! - s.startedAtMs!;
      const value = own + Math.max(0, ...(deps.get(name) ?? []).map(longest));
      memo.set(name, value);
      return value;
    };
    const floorMs = Math.max(...times.map((t) => longest(t.name)));
    return {
      tool: 'bootwave',
      interval,
      gate,
      temporal: devStateDir ? 'warm' : 'cold',
      totalMs: lastReady - t0,
      bootSpanMs: lastReady - firstStart,
      floorMs,
      load1,
    };
  } finally {
    try {
      await runAsync(process.execPath, [cli, 'down', file], env);
    } finally {
      if (!devStateDir) rmSync(stateDir, { recursive: true, force: true });
    }
  }
}

/** `status --json` may be preceded by the embedded server's log lines: keep from the first `{`. */
function jsonOf(out: string): string {
  const i = out.indexOf('{');
  if (i < 0) throw new Error(`Failed to read the boot status: no JSON in ${out}`);
  return out.slice(i);
}

const fmt = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(2));

async function main(): Promise<void> {
  const runs = Number(argValue('--runs', '3'));
  const intervals = argValue('--intervals', '30s,2s').split(',');
  const jsonOut = argValue('--json', '');
  const temporals = argValue('--temporal', 'cold').split(',') as Temporal[];
  // Leaving the peers out measures bootwave alone (one build against another); the default runs all three.
  const tools = new Set(argValue('--tools', 'compose,compose2,floor,bootwave').split(','));
  const dev = temporals.includes('warm') ? await startBootwaveDev() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bootwave-bench-chain-'));
  const results: RunResult[] = [];
  let n = 0;
  try {
    const files: Record<Gate, string> = {
      'engine-healthcheck': chainVariant(dir, 'engine-healthcheck'),
      'bootwave-probe': chainVariant(dir, 'bootwave-probe'),
    };
    const services = dependencies(files['engine-healthcheck']).size;
    for (const interval of intervals) {
      for (let i = 0; i < runs; i++) {
        // Interleave the tools so drift in the machine's load hits both alike.
        if (tools.has('compose')) {
          const c = await composeRun(files['engine-healthcheck'], interval, n++, services);
          results.push(c);
          console.log(`compose   interval=${interval} run ${i + 1}: ${fmt(c.totalMs)} s (load ${c.load1.toFixed(2)})`);
        }
        if (tools.has('compose2')) {
          const v2 = await composeV2Run(files['engine-healthcheck'], interval, n++);
          results.push(v2);
          console.log(
            `compose2  interval=${interval} run ${i + 1}: ${fmt(v2.totalMs)} s (load ${v2.load1.toFixed(2)})`,
          );
        }
        if (tools.has('floor')) {
          const f = await floorRun(files['engine-healthcheck'], interval, n++);
          results.push(f);
          console.log(
            `floor     interval=${interval} run ${i + 1}: ${fmt(f.totalMs)} s create→ready, ${fmt(f.bootSpanMs)} s first start→last ready (load ${f.load1.toFixed(2)})`,
          );
        }
        for (const temporal of tools.has('bootwave') ? temporals : []) {
          for (const gate of ['engine-healthcheck', 'bootwave-probe'] as const) {
            const b = await bootwaveRun(
              files[gate],
              interval,
              gate,
              n++,
              temporal === 'warm' ? dev?.stateDir : undefined,
            );
            results.push(b);
            console.log(
              `bootwave  interval=${interval} temporal=${temporal} gate=${gate} run ${i + 1}: ${fmt(b.totalMs)} s command→ready, ` +
                `${fmt(b.bootSpanMs)} s first start→last ready, floor ${fmt(b.floorMs)} s (load ${b.load1.toFixed(2)})`,
            );
          }
        }
      }
    }
  } finally {
    await dev?.stop();
    rmSync(dir, { recursive: true, force: true });
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
  }

  console.log(
    "\n| interval | tool (gate) | command → all ready, median (runs) s | first start → last ready, median s | services' own start → ready path, median s | span − that path, median s | span − engine floor span, median s |",
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const interval of intervals) {
    const floorRuns = results.filter((r) => r.tool === 'floor' && r.interval === interval);
    // The chain's floor on this engine: the hand-driven boot's span (median), against which bootwave's span is read.
    const engineFloor = floorRuns.length ? median(floorRuns.map((r) => r.bootSpanMs!)) : undefined;
    const groups: [string, RunResult[]][] = [
      [
        'docker-compose 1.29 (engine HEALTHCHECK)',
        results.filter((r) => r.tool === 'compose' && r.interval === interval),
      ],
      [
        'docker compose v2.40 `up --wait` (engine HEALTHCHECK)',
        results.filter((r) => r.tool === 'compose-v2' && r.interval === interval),
      ],
      ['by hand through the engine API (HEALTHCHECK test every 100 ms): the floor', floorRuns],
      ...temporals.flatMap((temporal) =>
        (['engine-healthcheck', 'bootwave-probe'] as const).map((gate): [string, RunResult[]] => [
          `bootwave ${temporal} (${gate === 'engine-healthcheck' ? 'HEALTHCHECK test' : 'x-bootwave probe, 250 ms'})`,
          results.filter(
            (r) => r.tool === 'bootwave' && r.interval === interval && r.gate === gate && r.temporal === temporal,
          ),
        ]),
      ),
    ];
    for (const [label, rs] of groups) {
      if (rs.length === 0) continue;
      const tot = rs.map((r) => r.totalMs);
      const span = rs.flatMap((r) => (r.bootSpanMs === undefined ? [] : [r.bootSpanMs]));
      const path = rs.flatMap((r) => (r.floorMs === undefined ? [] : [r.floorMs]));
      const overPath = rs.flatMap((r) => (r.floorMs === undefined ? [] : [r.bootSpanMs! - r.floorMs]));
      const overEngine =
        engineFloor === undefined || rs[0]!.tool !== 'bootwave' ? [] : span.map((s) => s - engineFloor);
      const med = (v: number[]) => (v.length ? fmt(median(v)) : '–');
      console.log(
        `| ${interval} | ${label} | ${med(tot)} (${tot.map(fmt).join(', ')}) | ${med(span)} | ${med(path)} | ${med(overPath)} | ${med(overEngine)} |`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
