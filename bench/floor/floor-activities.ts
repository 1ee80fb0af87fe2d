import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** When a floor service did its work: start and ready are the same moment (it is ready once it has started). */
export interface FloorTimes {
  name: string;
  startedAtMs: number;
  readyAtMs: number;
}

/** The `sleep` processes this worker spawned, ended when it stops. */
export const spawned = new Set<number>();

/**
 * One service's whole boot in one step: nothing (the engine alone), or a spawn of `/bin/sleep`, the same process a
 * generated bench service runs, without bootwave's supervisor, state files or readiness wait.
 */
export async function bootService(name: string, spawnSleep: boolean): Promise<FloorTimes> {
  if (spawnSleep) {
    const child = spawn('/bin/sleep', ['3600'], { detached: true, stdio: 'ignore' });
    await once(child, 'spawn');
    child.unref();
    spawned.add(child.pid!);
  }
  const at = Date.now();
  return { name, startedAtMs: at, readyAtMs: at };
}
