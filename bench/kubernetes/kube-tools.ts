import { spawn } from 'node:child_process';

/** One finished command: its output and when it ran (wall clock, ms). */
export interface Ran {
  out: string;
  startedAtMs: number;
  endedAtMs: number;
}

/**
 * Runs a command to completion; resolves with its output and timing, rejects with the output on a non-zero exit.
 * `onLine` sees every output line as it arrives (with the time it arrived).
 */
export function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  onLine?: (line: string, atMs: number) => void,
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const startedAtMs = Date.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let partial = '';
    const take = (d: Buffer) => {
      const text = d.toString();
      out += text;
      if (!onLine) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      const atMs = Date.now();
      for (const line of lines) onLine(line, atMs);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => {
      const endedAtMs = Date.now();
      if (code === 0) resolve({ out, startedAtMs, endedAtMs });
      else reject(new Error(`Failed to run ${cmd} ${args.join(' ')} (exit ${code}): ${out.slice(-4000)}`));
    });
  });
}

/** The kubectl the benchmark uses (run.sh builds it into the kube cache and sets KUBECTL). */
export const kubectl = (args: string[]): Promise<Ran> => run(process.env.KUBECTL || 'kubectl', args);

/** Deletes a namespace and waits until it is gone (every object in it deleted), so the next boot is a cold apply. */
export async function deleteNamespace(name: string): Promise<number> {
  const t0 = Date.now();
  await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=600s']);
  return Date.now() - t0;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Milliseconds as seconds with two decimals; '–' when unknown. */
export const seconds = (ms: number | undefined): string => (ms === undefined ? '–' : (ms / 1000).toFixed(2));

export const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
