import { readdirSync, readFileSync } from 'node:fs';

/** A live (not zombie) process's start time in clock ticks, or undefined when the pid is gone. */
export function pidStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** True while the process group has a member: SIGTERM was delivered to all of them. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return pidStartTicks(pgid) !== undefined || anyInGroup(pgid);
  } catch {
    return false;
  }
}

function anyInGroup(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

/** A live process whose environment has a variable starting with `prefix`, with that entry and its group. */
export interface MarkedProcess {
  pid: number;
  pgid: number;
  entry: string;
}

/** Finds processes by an environment marker: a service started just before a crash, before its record was written. */
export function findByEnvPrefix(prefix: string): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const entry = readFileSync(`/proc/${name}/environ`, 'utf8')
        .split('\0')
        .find((variable) => variable.startsWith(prefix));
      if (!entry) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') found.push({ pid: Number(name), pgid: Number(fields[2]), entry });
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}
