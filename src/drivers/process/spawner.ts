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

/**
 * The helper's whole program: spawns what it is asked to, detached, and answers with the pid once the child runs or
 * with why it could not start (a missing executable, a bad `cwd`). It keeps each child's handle, so it reaps the
 * children that end before it does, and it exits when its worker goes (the channel closes), leaving them running.
 */
const helperSource = `
process.title = 'bootwave-spawn-helper';
const { spawn } = require('node:child_process');
const { openSync, closeSync } = require('node:fs');
process.on('disconnect', () => process.exit(0));
process.on('message', ({ id, file, args, cwd, env, log }) => {
  let fd;
  try {
    fd = openSync(log, 'a');
    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    child.once('spawn', () => process.send({ id, pid: child.pid }));
    child.once('error', (error) => process.send({ id, error: error.message }));
  } catch (error) {
    process.send({ id, error: String(error && error.message ? error.message : error) });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;

type Reply = { id: number; pid?: number; error?: string };
type Waiter = { resolve: (pid: number) => void; reject: (error: Error) => void };

/**
 * Starts detached processes from a small helper process instead of the worker. Node forks the whole caller and
 * waits until the child has exec'd: from a worker of 300 MiB that is ~15 ms of CPU and ~25 ms on its event loop per
 * spawn here (from a 50 MiB helper, ~5 ms), so a wave's starts held up every activity result, heartbeat and workflow
 * task behind them. The helper starts at the first spawn (~150 ms) and lives as long as the worker; if it dies, the
 * spawns it had fail (a start is retried) and the next spawn starts a new one.
 */
export class Spawner {
  private helper: ChildProcess | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Waiter>();

  /** Resolves with the child's pid once it runs; rejects with the reason it could not be started. */
  spawn(request: DetachedSpawn): Promise<number> {
    const helper = this.running();
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.hold(true);
      helper.send({ id, ...request }, (error) => {
        if (error) this.settle({ id, error: `could not reach the spawn helper: ${error.message}` });
      });
    });
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

  /** The helper holds the worker's event loop open only while a spawn waits for its answer. */
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

  private settle({ id, pid, error }: Reply): void {
    const waiter = this.pending.get(id);
    if (!waiter) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.hold(false);
    if (pid !== undefined) waiter.resolve(pid);
    else waiter.reject(new Error(error ?? 'no pid'));
  }
}

/** One per worker process: every process driver in it spawns through the same helper. */
export const sharedSpawner = new Spawner();
