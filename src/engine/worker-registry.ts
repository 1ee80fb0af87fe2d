import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A long-running worker on this machine (`bootwave dev`, `bootwave worker`) that other commands may use. */
export interface WorkerRecord {
  pid: number;
  address: string;
  namespace: string;
  taskQueue: string;
  /** Which code the worker runs: a command reuses only a worker of the same build as itself. */
  build: string;
  command: string;
  /** The Unix socket of its local API (`local-api-server.ts`), when it serves one. */
  api?: string;
}

type Where = Pick<WorkerRecord, 'address' | 'namespace' | 'taskQueue'>;

/**
 * The build this process runs: its installation and the time its code was written, so a worker started before a
 * rebuild (or from another installation) is never mistaken for one running this code.
 */
export function currentBuild(): string {
  return `${__dirname}@${statSync(__filename).mtimeMs}`;
}

/** Where workers are recorded, and their API sockets live: this user's alone. */
export function workersDir(stateDir: string): string {
  const dir = join(stateDir, 'workers');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** Where this process serves its local API (`local-api-server.ts`). */
export function localApiSocket(stateDir: string): string {
  return join(workersDir(stateDir), `${process.pid}.sock`);
}

/** Records a worker in the state dir while it runs; the returned function removes the record. */
export function registerWorker(stateDir: string, record: Omit<WorkerRecord, 'pid' | 'build'>): () => void {
  const dir = workersDir(stateDir);
  const file = join(dir, `${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ ...record, pid: process.pid, build: currentBuild() }));
  return () => rmSync(file, { force: true });
}

/**
 * A live worker of this build polling `where`, if one is recorded: `up` then boots through it instead of starting
 * its own (the SDK's native core and the workflow bundle take a second or more to start). Stale records (the
 * process is gone) are removed.
 */
export function findRunningWorker(stateDir: string, where: Where): WorkerRecord | undefined {
  const dir = join(stateDir, 'workers');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const build = currentBuild();
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = join(dir, name);
    let record: WorkerRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as WorkerRecord;
    } catch {
      continue;
    }
    if (!isAlive(record.pid)) {
      rmSync(file, { force: true });
      if (record.api) rmSync(record.api, { force: true });
      continue;
    }
    const same =
      record.address === where.address &&
      record.namespace === where.namespace &&
      record.taskQueue === where.taskQueue &&
      record.build === build;
    if (same) return record;
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
