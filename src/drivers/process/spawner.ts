import { spawn, type ChildProcess } from 'node:child_process';

export interface DetachedSpawn {
  file: string;
  args: string[];
  cwd?: string;
  /** The child's whole environment. */
  env: Record<string, string | undefined>;
  /** Appended to by the child's stdout and stderr. */
  log: string;
}

/** A command run to its end (an exec health check), as `execFile` runs it. */
export interface CommandRun {
  file: string;
  args: string[];
  cwd?: string;
  /** The command's whole environment. */
  env: Record<string, string | undefined>;
  /** Killed (SIGTERM) after this long. */
  timeoutMs: number;
  /** Output beyond this many bytes kills the command. */
  maxBuffer: number;
}

/** How a command ended: `execFile`'s error fields, when it did not exit 0, and its output. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  failure?: { code?: number | string; killed?: boolean; message: string };
}

/**
 * The helper's whole program. A spawn is answered with the pid once the child runs, or with why it could not start
 * (a missing executable, a bad `cwd`); the helper keeps each child's handle, so it reaps the children that end
 * before it does. A run is answered with the command's output and exit once it ends (or is cancelled). The helper
 * exits when its worker goes (the channel closes), leaving what it spawned running.
 */
const helperSource = `
process.title = 'bootwave-spawn-helper';
const { spawn, execFile } = require('node:child_process');
const { openSync, closeSync } = require('node:fs');
const runs = new Map();
process.on('disconnect', () => process.exit(0));
process.on('message', (request) => {
  const { id } = request;
  if (request.kind === 'cancel') return runs.get(id)?.abort();
  try {
    if (request.kind === 'run') return run(request);
    spawnDetached(request);
  } catch (error) {
    process.send({ id, error: String(error && error.message ? error.message : error) });
  }
});
function spawnDetached({ id, file, args, cwd, env, log }) {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    child.once('spawn', () => process.send({ id, pid: child.pid }));
    child.once('error', (error) => process.send({ id, error: error.message }));
  } finally {
    closeSync(fd);
  }
}
function run({ id, file, args, cwd, env, timeoutMs, maxBuffer }) {
  const cancel = new AbortController();
  runs.set(id, cancel);
  execFile(file, args, { cwd, env, timeout: timeoutMs, maxBuffer, signal: cancel.signal }, (error, stdout, stderr) => {
    runs.delete(id);
    const failure = error ? { code: error.code, killed: error.killed, message: error.message } : undefined;
    process.send({ id, ran: { stdout: String(stdout), stderr: String(stderr), failure } });
  });
}
`;

type Reply = { id: number; pid?: number; ran?: CommandResult; error?: string };
type Waiter = { settle: (reply: Reply) => void };

/**
 * Starts processes from a small helper process instead of the worker: services (detached) and exec health checks.
 * Node forks the whole caller and waits until the child has exec'd: from a worker of 300 MiB that is ~15 ms of CPU
 * and ~25 ms of its event loop per process here (from a 50 MiB helper, ~5 ms), so a wave's starts held up every
 * activity result, heartbeat and workflow task behind them. The helper starts with the first request (~150 ms) and
 * lives as long as the worker; if it dies, what it was asked fails (a start is retried, a check fails one round)
 * and the next request starts a new one.
 */
export class Spawner {
  private helper: ChildProcess | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Waiter>();

  /** Resolves with the child's pid once it runs; rejects with the reason it could not be started. */
  spawn(request: DetachedSpawn): Promise<number> {
    return this.ask<number>({ kind: 'spawn', ...request }, (reply) => reply.pid);
  }

  /** Runs a command to its end; rejects only when the helper could not run it at all. */
  run(request: CommandRun, signal?: AbortSignal): Promise<CommandResult> {
    return this.ask<CommandResult>({ kind: 'run', ...request }, (reply) => reply.ran, signal);
  }

  /** The helper's pid, while it runs. */
  get helperPid(): number | undefined {
    return this.helper?.connected ? this.helper.pid : undefined;
  }

  /** Ends the helper (tests); the processes it started keep running. */
  close(): void {
    const helper = this.helper;
    this.helper = undefined;
    if (helper?.connected) helper.disconnect();
  }

  private ask<T>(request: object, answer: (reply: Reply) => T | undefined, signal?: AbortSignal): Promise<T> {
    const helper = this.running();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const cancel = () => helper.connected && helper.send({ kind: 'cancel', id });
      signal?.addEventListener('abort', cancel, { once: true });
      this.pending.set(id, {
        settle: (reply) => {
          signal?.removeEventListener('abort', cancel);
          const value = answer(reply);
          if (value !== undefined) resolve(value);
          else reject(new Error(reply.error ?? 'no answer from the spawn helper'));
        },
      });
      this.hold(true);
      helper.send({ id, ...request }, (error) => {
        if (error) this.settle({ id, error: `could not reach the spawn helper: ${error.message}` });
      });
      // Given up on before it was asked: the helper ends it as soon as it has begun.
      if (signal?.aborted) cancel();
    });
  }

  private running(): ChildProcess {
    if (this.helper?.connected) return this.helper;
    // Its own session: a Ctrl-C meant for `bootwave dev` must not end the helper under a start that is finishing.
    const helper: ChildProcess = spawn(process.execPath, ['-e', helperSource], {
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    helper.on('message', (reply: Reply) => this.settle(reply));
    const gone = (why: string) => {
      if (this.helper === helper) this.helper = undefined;
      for (const id of [...this.pending.keys()]) this.settle({ id, error: why });
    };
    helper.on('error', (error) => gone(`the spawn helper failed: ${error.message}`));
    helper.on('exit', (code, signal) => gone(`the spawn helper exited (${signal ?? `code ${code}`})`));
    this.helper = helper;
    this.hold(false);
    return helper;
  }

  /** The helper holds the worker's event loop open only while a request waits for its answer. */
  private hold(waiting: boolean): void {
    const helper = this.helper;
    if (!helper) return;
    if (waiting) {
      helper.ref();
      helper.channel?.ref();
    } else {
      helper.unref();
      helper.channel?.unref();
    }
  }

  private settle(reply: Reply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.hold(false);
    waiter.settle(reply);
  }
}

/** One per worker process: every process driver and exec check in it goes through the same helper. */
export const sharedSpawner = new Spawner();
