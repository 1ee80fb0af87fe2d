/**
 * Start-up of the `bootwave` command and of the client entry point (issues 9 and 14). Packs the built project
 * (`npm run build` first), installs the tarball into a temporary project as a user would, then:
 * - runs `bootwave --help`, `--version`, `validate`, `status` (and `list`) N times each in fresh processes: wall
 *   time from spawn to exit; `status` and `list` once with no worker on the machine (each command connects a client
 *   of its own) and once through the local API of the `bootwave dev` the bench runs;
 * - imports `bootwave/client` N times from CommonJS and from ESM in fresh processes: the import's own time, and which
 *   packages it loads;
 * - measures the install footprint: the whole install, and the part of it the client loads.
 * `status` needs a Temporal server: TEMPORAL_ADDRESS, else the bench starts `bootwave dev` (and stops it).
 * Usage, from the repository root: node bench/startup/startup-bench.ts [--runs 20] [--out bench/startup/RESULTS.md]
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = process.cwd();
const forbidden = [
  '@temporalio/worker',
  '@temporalio/core-bridge',
  '@swc/core',
  'dockerode',
  '@kubernetes/client-node',
];

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

function stats(samples: number[]): { median: number; p95: number; min: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: at(0.5), p95: at(0.95), min: sorted[0]! };
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  return execFileSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8' });
}

/** Packs the build and installs the tarball into a new project, from the npm cache where it can. */
function installPackage(): string {
  if (!existsSync(join(repoRoot, 'dist', 'workflow-bundle.js'))) throw new Error('no build: run `npm run build`');
  const dir = mkdtempSync(join(tmpdir(), 'bootwave-startup-'));
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: repoRoot }).trim();
  const project = join(dir, 'project');
  execFileSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(dir, tarball)], {
    cwd: project,
  });
  return project;
}

/** Milliseconds from spawn to exit of `node <args>`, `runs` times after one warm-up run. */
function timeProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv, runs: number, expectCode = 0): number[] {
  const once = () => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== expectCode)
      throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}${result.stdout}`);
    return ms;
  };
  once(); // fills the compile cache and the OS page cache
  return Array.from({ length: runs }, once);
}

interface ImportSample {
  ms: number;
  packages: string[];
}

const importProbe = {
  cjs: `const t = performance.now(); require('bootwave/client'); const ms = performance.now() - t;
const packages = new Set(Object.keys(require.cache).flatMap((f) => { const m = f.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/g); return m ? [m[m.length - 1].slice(13)] : []; }));
console.log(JSON.stringify({ ms, packages: [...packages].sort() }));`,
  esm: `import { createRequire } from 'node:module'; const t = performance.now(); await import('bootwave/client'); const ms = performance.now() - t;
const packages = new Set(Object.keys(createRequire(import.meta.url).cache).flatMap((f) => { const m = f.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/g); return m ? [m[m.length - 1].slice(13)] : []; }));
console.log(JSON.stringify({ ms, packages: [...packages].sort() }));`,
};

function timeImport(kind: 'cjs' | 'esm', project: string, runs: number, env: NodeJS.ProcessEnv): ImportSample[] {
  const file = join(project, `probe.${kind === 'cjs' ? 'cjs' : 'mjs'}`);
  writeFileSync(file, importProbe[kind]);
  const once = () => JSON.parse(run(process.execPath, [file], { cwd: project, env })) as ImportSample;
  once();
  return Array.from({ length: runs }, once);
}

function diskKiB(path: string): number {
  return Number(run('du', ['-sk', path], { cwd: repoRoot }).split('\t')[0]);
}

function installedPackages(project: string): number {
  const out = run('npm', ['ls', '--all', '--parseable'], { cwd: project });
  return out.trim().split('\n').length - 1; // the first line is the project itself
}

/** A Temporal server for `status`: TEMPORAL_ADDRESS, else `bootwave dev` started here. */
async function temporalServer(
  bin: string,
  project: string,
): Promise<{ address: string; stateDir?: string; stop(): void }> {
  if (process.env.TEMPORAL_ADDRESS) return { address: process.env.TEMPORAL_ADDRESS, stop: () => {} };
  const state = mkdtempSync(join(tmpdir(), 'bootwave-startup-state-'));
  const dev = spawn(process.execPath, [bin, 'dev'], {
    cwd: project,
    env: { ...process.env, BOOTWAVE_STATE_DIR: state },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((done, fail) => {
    let text = '';
    dev.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /Temporal at (\S+)/.exec(text);
      if (match) done(match[1]!);
    });
    dev.once('exit', (code) => fail(new Error(`bootwave dev exited ${code} before printing its address`)));
  });
  return {
    address,
    stateDir: state,
    stop: () => {
      dev.kill('SIGINT');
      rmSync(state, { recursive: true, force: true });
    },
  };
}

function planFile(project: string): string {
  const port = 18990;
  const file = join(project, 'plan.yaml');
  const service = join(project, 'node_modules', 'bootwave', 'examples', 'services', 'health-service.js');
  writeFileSync(
    file,
    [
      'name: startup-bench',
      'services:',
      `  web: { process: { command: [node, ${service}, --name, web, --port, "${port}"] },`,
      `         health: { check: { kind: http, url: "http://127.0.0.1:${port}/health" }, interval: 100ms } }`,
      '',
    ].join('\n'),
  );
  return file;
}

/** A two-service chain (api needs db) for the warm `up`. */
function chainFile(project: string): string {
  const file = join(project, 'chain.yaml');
  const service = join(project, 'node_modules', 'bootwave', 'examples', 'services', 'health-service.js');
  const entry = (name: string, port: number, needs?: string) =>
    `  ${name}: { process: { command: [node, ${service}, --name, ${name}, --port, "${port}"] },` +
    `${needs ? ` dependsOn: [${needs}],` : ''} health: { check: { kind: tcp, host: 127.0.0.1, port: ${port} }, interval: 100ms } }`;
  writeFileSync(
    file,
    ['name: startup-bench-warm', 'services:', entry('db', 18993), entry('api', 18994, 'db'), ''].join('\n'),
  );
  return file;
}

interface WarmUp {
  /** Command spawned → the first service's start (as the boot recorded it). */
  firstStartMs: number;
  /** The last service ready → the command's exit. */
  exitAfterReadyMs: number;
}

/** `up` with `bootwave dev` running, whose worker takes the boot; each run ends with `down`. */
function timeWarmUp(bin: string, plan: string, cwd: string, env: NodeJS.ProcessEnv, runs: number): WarmUp[] {
  const once = (): WarmUp => {
    const started = Date.now();
    run(process.execPath, [bin, 'up', plan], { cwd, env });
    const exited = Date.now();
    const status = JSON.parse(run(process.execPath, [bin, 'status', plan, '--json'], { cwd, env })) as {
      services: { startedAtMs?: number; readyAtMs?: number }[];
    };
    run(process.execPath, [bin, 'down', plan], { cwd, env });
    const firstStart = Math.min(...status.services.map((s) => s.startedAtMs ?? Infinity));
    const lastReady = Math.max(...status.services.map((s) => s.readyAtMs ?? -Infinity));
    return { firstStartMs: firstStart - started, exitAfterReadyMs: exited - lastReady };
  };
  once();
  return Array.from({ length: runs }, once);
}

const fmt = (ms: number) => `${Math.round(ms)} ms`;

async function main(): Promise<void> {
  const runs = Number(flag('runs', '20'));
  const out = flag('out', '');
  const project = installPackage();
  const bin = join(project, 'node_modules', 'bootwave', 'dist', 'cli', 'bin.js');
  const cache = mkdtempSync(join(tmpdir(), 'bootwave-compile-cache-'));
  const env = { ...process.env, NODE_COMPILE_CACHE: cache };
  const plan = planFile(project);
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };

  const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  say(`# Start-up: the bootwave command and the client entry point`);
  say('');
  say(
    `bootwave ${version.version}, Node ${process.versions.node}, ${cpus().length} cores, load average ` +
      `${loadavg()[0]!.toFixed(1)} at the start; ${runs} runs per row after one warm-up, each a fresh process ` +
      `started from the installed package (\`node_modules/bootwave\`); Node's compile cache on, as \`bootwave\` turns it on.`,
  );
  say('');
  say('| command | median | p95 | min |');
  say('| --- | --- | --- | --- |');
  const row = (label: string, samples: number[]) => {
    const s = stats(samples);
    say(`| \`${label}\` | ${fmt(s.median)} | ${fmt(s.p95)} | ${fmt(s.min)} |`);
  };
  row('node -e 0 (Node itself)', timeProcess(['-e', '0'], project, env, runs));
  row('bootwave --help', timeProcess([bin, '--help'], project, env, runs));
  row('bootwave --version', timeProcess([bin, '--version'], project, env, runs));
  row('bootwave validate plan.yaml', timeProcess([bin, 'validate', plan], project, env, runs));

  const server = await temporalServer(bin, project);
  const taskQueue = `startup-bench-${process.pid}`;
  const serverEnv = { ...env, TEMPORAL_ADDRESS: server.address, BOOTWAVE_TASK_QUEUE: taskQueue };
  try {
    // A finished boot and nothing else: supervised, its stack would wait for a worker on this bench's own queue.
    run(process.execPath, [bin, 'up', plan, '--no-supervise'], { cwd: project, env: serverEnv });
    // No worker of this queue runs on the machine: each command loads and connects a Temporal client of its own.
    row(
      'bootwave status plan.yaml (a finished boot; own client)',
      timeProcess([bin, 'status', plan], project, serverEnv, runs),
    );
    row(
      'bootwave status startup-bench (by name; own client)',
      timeProcess([bin, 'status', 'startup-bench'], project, serverEnv, runs),
    );
    row('bootwave list (own client)', timeProcess([bin, 'list', '--plan', 'startup-bench'], project, serverEnv, runs));
    run(process.execPath, [bin, 'down', plan], { cwd: project, env: serverEnv });
    if (server.stateDir) {
      // The dev server's own worker (its state dir and task queue) takes the boot, as for a user with `bootwave dev`.
      const warmEnv = { ...env, TEMPORAL_ADDRESS: server.address, BOOTWAVE_STATE_DIR: server.stateDir };
      const warm = timeWarmUp(bin, chainFile(project), project, warmEnv, Math.min(runs, 10));
      row(
        'warm up chain.yaml: command → first start',
        warm.map((w) => w.firstStartMs),
      );
      row(
        'warm up chain.yaml: last ready → exit',
        warm.map((w) => w.exitAfterReadyMs),
      );
      // `bootwave dev` runs: the commands go through its local API instead of a client of their own.
      row(
        'bootwave status startup-bench-warm (by name; through bootwave dev)',
        timeProcess([bin, 'status', 'startup-bench-warm'], project, warmEnv, runs),
      );
      row(
        'bootwave list (through bootwave dev)',
        timeProcess([bin, 'list', '--plan', 'startup-bench-warm'], project, warmEnv, runs),
      );
    }
  } finally {
    server.stop();
  }

  say('');
  say('## The client entry point');
  say('');
  say('| import of `bootwave/client` | median | p95 | min |');
  say('| --- | --- | --- | --- |');
  let loaded: string[] = [];
  for (const kind of ['cjs', 'esm'] as const) {
    for (const cached of [false, true]) {
      const samples = timeImport(kind, project, runs, cached ? env : process.env);
      loaded = samples[0]!.packages;
      const s = stats(samples.map((sample) => sample.ms));
      const label = `${kind === 'cjs' ? 'require (CommonJS)' : 'import (ESM)'}${cached ? ', compile cache on' : ''}`;
      say(`| ${label} | ${fmt(s.median)} | ${fmt(s.p95)} | ${fmt(s.min)} |`);
    }
  }
  const bad = loaded.filter((name) => forbidden.includes(name));
  if (bad.length > 0) throw new Error(`the client entry loads ${bad.join(', ')}`);
  const modules = join(project, 'node_modules');
  const loadedKiB = loaded.reduce((sum, name) => sum + diskKiB(join(modules, name)), 0);
  say('');
  say(`Packages the client loads (${loaded.length}): ${loaded.map((name) => `\`${name}\``).join(', ')}.`);
  say(`None of ${forbidden.map((name) => `\`${name}\``).join(', ')}.`);
  say('');
  say('## Install footprint');
  say('');
  say(
    `\`npm install bootwave\` (this tarball): ${installedPackages(project)} packages, ` +
      `${(diskKiB(modules) / 1024).toFixed(0)} MiB in node_modules ` +
      `(${readdirSync(modules).length} top-level entries). The client loads ${(loadedKiB / 1024).toFixed(1)} MiB of it; ` +
      `the rest is the CLI's and the worker's (Temporal's native core, the workflow bundler, Docker and Kubernetes clients).`,
  );
  if (out) writeFileSync(resolve(repoRoot, out), `${lines.join('\n')}\n`);
  rmSync(join(project, '..'), { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`startup bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
