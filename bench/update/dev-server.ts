import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './tools';

/**
 * `bootwave dev` in a state dir of its own, until `stop()`: the lasting server and worker a stack is supervised on
 * (an update needs one). Resolves with the environment a CLI command needs to find it.
 */
export interface BootwaveDev {
  env: NodeJS.ProcessEnv;
  /** The Temporal server's address (to read an update's report). */
  address: string;
  stop(): Promise<void>;
}

export async function startBootwaveDev(): Promise<BootwaveDev> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bwupd-dev-'));
  const env: NodeJS.ProcessEnv = { ...process.env, BOOTWAVE_STATE_DIR: stateDir };
  delete env.TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, [cli, 'dev'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`bootwave dev did not start in 180 s: ${out}`)), 180_000);
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
  const address = /Temporal at (\S+)/.exec(out)?.[1];
  if (!address) throw new Error(`bootwave dev did not say its address: ${out}`);
  return {
    env,
    address,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
