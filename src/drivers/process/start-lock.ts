import { mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { pidStartTicks } from './proc-info';

/** How long a start waits for another one of the same service before it gives up (retryably). */
const maxWaitMs = 5 * 60_000;
const pollMs = 100;

/**
 * One start of a service at a time among every worker sharing this state directory (the workers of one machine).
 * On a starved machine a start's heartbeats can miss their timeout while it still runs; the server then gives the
 * retry to another worker, which would find no record yet and spawn a second process. With the lock, the retry
 * waits for the first attempt, then finds its record. The lock file names its holder (pid and the pid's start
 * time): a holder killed -9 mid-start leaves a stale lock, which the next start takes over.
 */
export async function withStartLock<T>(dir: string, run: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'start.lock');
  const me = `${process.pid} ${pidStartTicks(process.pid) ?? 0}`;
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lock);
    if (holder !== undefined && !alive(holder)) {
      // Moved aside atomically: of two starts that both saw it stale, only one moves it.
      try {
        renameSync(lock, `${lock}.stale-${process.pid}`);
        rmSync(`${lock}.stale-${process.pid}`, { force: true });
      } catch {
        // Another start took it over first.
      }
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`start of ${dir} held by another worker (pid ${holder?.pid ?? '?'}) for ${maxWaitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await run();
  } finally {
    rmSync(lock, { force: true });
  }
}

interface Holder {
  pid: number;
  ticks: number;
}

function readHolder(lock: string): Holder | undefined {
  try {
    const [pid, ticks] = readFileSync(lock, 'utf8').trim().split(' ').map(Number);
    // Empty: its holder is between creating and writing it; treat as alive.
    return pid ? { pid, ticks: ticks ?? 0 } : undefined;
  } catch {
    return undefined;
  }
}

function alive(holder: Holder): boolean {
  const ticks = pidStartTicks(holder.pid);
  return ticks !== undefined && (holder.ticks === 0 || ticks === holder.ticks);
}
