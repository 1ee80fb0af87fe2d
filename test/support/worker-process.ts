import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { requireTestEnv } from './test-env';
import { waitFor } from './wait-for';

const repoRoot = join(__dirname, '..', '..');

/**
 * A real worker in its own OS process (the built `dist/worker.js`), so a test can kill -9 it mid-boot the way a
 * crash would, and start a fresh one.
 */
export class WorkerProcess {
  private constructor(
    readonly child: ChildProcess,
    private readonly logFile: string,
    /** The plan host it serves (`BOOTWAVE_HOST`), if any. */
    readonly host?: string,
  ) {}

  /** Temporal's identity of this worker (`<pid>@<machine>`, plus ` host=<host>` for a host's), as histories record it. */
  get identity(): string {
    return `${this.child.pid}@${hostname()}${this.host === undefined ? '' : ` host=${this.host}`}`;
  }

  /**
   * Resolves once the worker polls its task queue, with the time of its "worker started" line (ms since epoch;
   * give each worker its own log file).
   */
  async started(timeoutMs = 60_000): Promise<number> {
    return waitFor(
      `worker ${this.child.pid} started`,
      async () => {
        const line = readFileSync(this.logFile, 'utf8')
          .split('\n')
          .find((text) => text.includes('"worker started"'));
        return line ? (JSON.parse(line) as { time: number }).time : undefined;
      },
      timeoutMs,
    );
  }

  static async start(options: {
    taskQueue: string;
    logFile: string;
    address?: string;
    /** Extra environment, e.g. the KUBECONFIG of the test cluster. */
    env?: Record<string, string>;
    /** A plan host this worker also serves (`bootwave worker --host`), with its own state directory. */
    host?: { name: string; stateDir: string };
  }): Promise<WorkerProcess> {
    const entry = join(repoRoot, 'dist', 'worker.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (scripts/test.sh does)`);
    const log = openSync(options.logFile, 'a');
    const child = spawn(process.execPath, [entry], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: options.address ?? requireTestEnv('address'),
        BOOTWAVE_TASK_QUEUE: options.taskQueue,
        BOOTWAVE_WORKFLOW_BUNDLE: requireTestEnv('bundle'),
        NODE_OPTIONS: '',
        ...(options.host ? { BOOTWAVE_HOST: options.host.name, BOOTWAVE_STATE_DIR: options.host.stateDir } : {}),
        ...options.env,
      },
      stdio: ['ignore', log, log],
    });
    return new WorkerProcess(child, options.logFile, options.host?.name);
  }

  /** SIGKILL: no graceful shutdown, no chance to finish or cancel anything. */
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
