import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

// Compiled to dist-bench/update/: the repository is two levels up.
export const repoRoot = resolve(__dirname, '..', '..');
export const cli = join(repoRoot, 'dist', 'cli', 'main.js');

/** One finished command: its output and when it ran (wall clock, ms). */
export interface Ran {
  out: string;
  startedAtMs: number;
  endedAtMs: number;
}

/** Runs a command to completion; resolves with its output and timing, rejects with the output on a non-zero exit. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolvePromise, reject) => {
    const startedAtMs = Date.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const endedAtMs = Date.now();
      if (code === 0) resolvePromise({ out, startedAtMs, endedAtMs });
      else reject(new Error(`Failed to run ${cmd} ${args.join(' ')} (exit ${code}): ${out.slice(-4000)}`));
    });
  });
}

/** The bootwave CLI as a user runs it. */
export const bootwave = (args: string[], env: NodeJS.ProcessEnv): Promise<Ran> =>
  run(process.execPath, [cli, ...args], env);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP port nothing listens on right now (the OS picks it): other benches and tests share this machine. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePromise(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Milliseconds as seconds with two decimals; '–' when unknown. */
export const seconds = (ms: number | undefined): string => (ms === undefined ? '–' : (ms / 1000).toFixed(2));

export const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;

/**
 * The per-service lines of `bootwave update`'s final report (`SERVICE CHANGE ORDER RESULT DOWNTIME`): each
 * changed service's order and the downtime bootwave itself reports. Throws unless every line says `updated`.
 */
export function updateReport(out: string): Map<string, { order: string; downtime: string }> {
  const lines = out.split('\n');
  const header = lines.findIndex((l) => /^SERVICE\s+CHANGE\s+ORDER\s+RESULT\s+DOWNTIME/.test(l));
  if (header < 0) throw new Error(`no update report in the output of bootwave update:\n${out}`);
  const services = new Map<string, { order: string; downtime: string }>();
  for (const line of lines.slice(header + 1)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length < 5) break;
    const [name, , order, result, downtime] = cells as [string, string, string, string, string];
    if (result !== 'updated') throw new Error(`bootwave update: ${name} ended ${result}:\n${out}`);
    services.set(name, { order, downtime });
  }
  if (!/^update updated$/m.test(out)) throw new Error(`bootwave update did not end updated:\n${out}`);
  return services;
}

/**
 * `bootwave update <file> <flags>`. Right after `bootwave up` the stack may still be moving from its boot to
 * supervising and refuses the update ("not being supervised now (booting)"); a user would run it again, and so does
 * this, timing only the attempt that ran (a refusal changes nothing, so the clients see nothing of it).
 */
export async function bootwaveUpdate(file: string, flags: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bootwave(['update', file, ...flags], env);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const transient = /not being supervised now \((?!ending)|moving to a new run; retry/.test(text);
      if (!transient || attempt >= 60) throw error;
      await sleep(500);
    }
  }
}

/** The row label of a bootwave update with these flags. */
export const updateLabel = (flags: string[]): string => `\`${['bootwave update', ...flags].join(' ')}\``;

/** Set once the harness is asked to stop: the row under way finishes (and is torn down), nothing new starts. */
let stopping = false;

/**
 * Asks the harness to stop. It does not tear down under a running update: a `bootwave down` sent while an update
 * ran was seen to hang after the update ended (bench/update/RESULTS.md, "Also seen"); the row's own teardown runs once it is over.
 */
export function requestStop(): void {
  stopping = true;
}

export const isStopping = (): boolean => stopping;

/** Runs `body`, then `teardown` (also on failure); refuses to start once the harness is being stopped. */
export async function withTeardown<T>(teardown: () => Promise<unknown>, body: () => Promise<T>): Promise<T> {
  try {
    if (stopping) throw new Error('the benchmark is being stopped');
    return await body();
  } finally {
    await teardown().catch(() => undefined);
  }
}
