import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { youngGenerationCap, youngGenerationFlag } from '../src/engine/worker-heap';

/** Node's flags as `scripts/bootwave` and the worker image run a worker, unless the bench is given its own. */
function withShippedFlags(nodeArgs: string[]): string[] {
  return nodeArgs.some((arg) => arg.startsWith(youngGenerationFlag)) ? nodeArgs : [youngGenerationCap, ...nodeArgs];
}

/**
 * The engine's worker (`src/worker.ts`, compiled) in its own OS process, so its peak memory is its own and not the
 * harness's: the kernel's high-water mark of resident memory, VmHWM in /proc/<pid>/status.
 */
export class BenchWorker {
  private constructor(readonly child: ChildProcess) {}

  static start(options: {
    address: string;
    taskQueue: string;
    bundlePath: string;
    stateDir: string;
    logFile: string;
    timeoutMs: number;
    /** Node flags for the worker, e.g. `--cpu-prof` to profile it. */
    nodeArgs?: string[];
  }): Promise<BenchWorker> {
    return BenchWorker.startScript({
      script: join(__dirname, '..', 'src', 'worker.js'),
      env: {
        TEMPORAL_ADDRESS: options.address,
        BOOTWAVE_TASK_QUEUE: options.taskQueue,
        BOOTWAVE_WORKFLOW_BUNDLE: options.bundlePath,
        BOOTWAVE_STATE_DIR: options.stateDir,
      },
      logFile: options.logFile,
      timeoutMs: options.timeoutMs,
      nodeArgs: options.nodeArgs,
    });
  }

  /** Any worker script that logs "worker started" on stderr once it polls (the Temporal floor's too). */
  static async startScript(options: {
    script: string;
    env: Record<string, string>;
    logFile: string;
    timeoutMs: number;
    nodeArgs?: string[];
  }): Promise<BenchWorker> {
    const log = openSync(options.logFile, 'a');
    const child = spawn(process.execPath, [...withShippedFlags(options.nodeArgs ?? []), options.script], {
      env: { ...process.env, ...options.env, NODE_OPTIONS: '' },
      // The worker logs JSON lines on stderr.
      stdio: ['ignore', log, 'pipe'],
    });
    child.stderr!.pipe(createWriteStream(options.logFile, { flags: 'a' }));
    closeSync(log);
    const worker = new BenchWorker(child);
    // Boots are timed from a polling worker, so wait for its "worker started" line.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`worker not started after ${options.timeoutMs} ms (see ${options.logFile})`));
      }, options.timeoutMs);
      let buffered = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        if (buffered.includes('worker started')) {
          clearTimeout(timer);
          resolve();
        }
        if (buffered.length > 1_000_000) buffered = buffered.slice(-1000);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker exited with code ${code} before it started (see ${options.logFile})`));
      });
    });
    return worker;
  }

  /** Peak resident memory of the worker process so far, in bytes. */
  peakRssBytes(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    if (kb === undefined) throw new Error(`Failed to read VmHWM of worker ${this.child.pid}`);
    return Number(kb) * 1024;
  }

  /** SIGKILL: the worker dies where it stands, as in a crash. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
