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

/**
 * Watches a signalled process group until no live member is left. Once its leader is gone, the members are found by
 * one scan of every process in /proc (a few ms with hundreds of processes, too much to repeat every poll of every
 * service a `down` stops); later looks read only theirs, and the group is called empty only after a new scan finds
 * nobody (a member may have forked meanwhile).
 */
export class GroupWatch {
  private members: number[] = [];
  /** When this watch first saw the leader gone and no known member live. */
  private leaderGoneAtMs: number | undefined;

  constructor(private readonly pgid: number) {}

  alive(): boolean {
    try {
      process.kill(-this.pgid, 0);
    } catch {
      return false;
    }
    if (pidStartTicks(this.pgid) !== undefined) return true;
    if (this.members.some((pid) => liveInGroup(pid, this.pgid))) return true;
    // Most often all that is left are zombies (a service's own children, orphaned and left to init; the supervisor
    // reaps the service itself), reaped in a moment, and then the signal above fails. A scan reads every process's
    // stat (≈ 20 µs each): with few processes it is cheaper than waiting for that moment; with thousands, only a
    // group that outlives it is worth a scan (a `down` of 1,000 services scanned 2,000 processes per stop before the
    // supervisor reaped its service, BENCHMARKS.md).
    this.leaderGoneAtMs ??= Date.now();
    if (Date.now() - this.leaderGoneAtMs < reapGraceMs && processCount() > cheapScanProcesses) return true;
    this.members = procPids().filter((pid) => liveInGroup(pid, this.pgid));
    return this.members.length > 0;
  }
}

/** How long a group whose leader is gone may take to be reaped before its members are looked for … */
const reapGraceMs = 250;
/** … when the machine runs more processes than this (a scan of 500 takes ≈ 10 ms). */
const cheapScanProcesses = 500;

/** Live (not zombie) and still in the group: a pid reused by another process is not. */
function liveInGroup(pid: number, pgid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X';
  } catch {
    return false;
  }
}

let counted: { atMs: number; count: number } | undefined;

/** How many processes the machine runs, counted at most once a second (every watch asks while it waits). */
function processCount(): number {
  if (counted === undefined || Date.now() - counted.atMs > 1_000)
    counted = { atMs: Date.now(), count: procPids().length };
  return counted.count;
}

function procPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
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
