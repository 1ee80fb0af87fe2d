import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the process driver remembers of a service it started; on disk, so a new worker finds it after a crash. */
export interface ProcessRecord {
  pid: number;
  /**
   * Start time of the pid in clock ticks since boot (/proc/<pid>/stat field 22): tells a reused pid apart; -1 for
   * a run recorded after it had ended.
   */
  pidStartTicks: number;
  specHash: string;
  ownerBootId: string;
  startedAtMs: number;
}

/** How a supervised run ended. */
export interface ServiceExit {
  code: number;
  /** The supervisor's pid: the record's pid of that run. */
  pid?: number;
  /** The run's environment marker: plan/service/definition hash/boot. */
  instance?: string;
}

export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOOTWAVE_STATE_DIR ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'bootwave');
}

/** The files of one service: its record, its log and the exit code its supervisor writes. */
export class ServiceFiles {
  readonly dir: string;

  constructor(root: string, plan: string, service: string) {
    this.dir = join(root, 'processes', plan, service);
  }

  get record(): string {
    return join(this.dir, 'process.json');
  }
  get log(): string {
    return join(this.dir, 'service.log');
  }
  get exitCode(): string {
    return join(this.dir, 'exit-code');
  }

  /** Present from just before a spawn until its record is written: a crash in between leaves it behind. */
  get startIntent(): string {
    return join(this.dir, 'starting');
  }

  markStarting(): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.startIntent, '');
  }

  clearStarting(): void {
    rmSync(this.startIntent, { force: true });
  }

  startWasInterrupted(): boolean {
    return existsSync(this.startIntent);
  }

  readRecord(): ProcessRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.record, 'utf8')) as ProcessRecord;
    } catch {
      return undefined;
    }
  }

  /** Atomic (write, then rename): a crash mid-write never leaves half a record. */
  writeRecord(record: ProcessRecord): void {
    mkdirSync(this.dir, { recursive: true });
    const temporary = `${this.record}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(record));
    renameSync(temporary, this.record);
  }

  removeRecord(): void {
    rmSync(this.record, { force: true });
  }

  readExitCode(): number | undefined {
    return this.readExit()?.code;
  }

  /**
   * What the supervisor wrote when its command ended: `<code> <supervisor pid> <instance marker>` (files written
   * before the pid and marker were added hold the code alone).
   */
  readExit(): ServiceExit | undefined {
    if (!existsSync(this.exitCode)) return undefined;
    const [code = '', pid, ...marker] = readFileSync(this.exitCode, 'utf8').trim().split(' ');
    const exitCode = Number(code);
    if (code === '' || !Number.isInteger(exitCode)) return undefined;
    return {
      code: exitCode,
      pid: pid === undefined ? undefined : Number(pid),
      instance: marker.join(' ') || undefined,
    };
  }

  logTail(maxBytes = 2000): string {
    try {
      const text = readFileSync(this.log, 'utf8');
      return text.slice(-maxBytes).trim();
    } catch {
      return '';
    }
  }
}
