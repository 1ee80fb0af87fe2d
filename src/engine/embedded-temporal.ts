import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { acceptsConnections } from '../temporal/accepts-connections';
import { findTemporalCli } from '../temporal/temporal-cli';

/** Where bootwave's Temporal is for this command: given, already running (`bootwave dev`), or started now. */
export interface TemporalEndpoint {
  address: string;
  uiUrl?: string;
  /** True when this process started the server and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export function bootwaveStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOOTWAVE_STATE_DIR ?? join(env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'bootwave');
}

interface ServerRecord {
  address: string;
  uiUrl: string;
  pid: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `TEMPORAL_ADDRESS` when set; else the embedded dev server another bootwave command left running; else a new
 * one with its SQLite database in the state dir, so boots survive a restart of it.
 */
export async function connectOrStartTemporal(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): Promise<TemporalEndpoint> {
  if (env.TEMPORAL_ADDRESS) {
    return { address: env.TEMPORAL_ADDRESS, uiUrl: env.TEMPORAL_UI_URL, owned: false, stop: async () => {} };
  }
  const dir = join(bootwaveStateDir(env), 'temporal');
  const recordFile = join(dir, 'server.json');
  if (existsSync(recordFile)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as ServerRecord;
    // Its process alive and its port open: the server recorded once it answered. A gRPC check here would load the
    // client, a third of a command's start. Else a stale record: fall through and start a fresh server.
    if (isAlive(record.pid) && (await acceptsConnections(record.address, 3_000)))
      return { address: record.address, uiUrl: record.uiUrl, owned: false, stop: async () => {} };
  }
  mkdirSync(dir, { recursive: true });
  const source = findTemporalCli(env, log);
  log(`bootwave: starting the embedded Temporal dev server (${source.how})`);
  // Loaded only to start one: it loads the SDK's search attribute keys.
  const { startDevServer } = await import('../temporal/dev-server.js');
  const server = await startDevServer({ source, dbFile: join(dir, 'temporal.db'), logFile: join(dir, 'server.log') });
  if (server.pid)
    writeFileSync(recordFile, JSON.stringify({ address: server.address, uiUrl: server.uiUrl, pid: server.pid }));
  return {
    address: server.address,
    uiUrl: server.uiUrl,
    owned: true,
    stop: async () => {
      await server.stop();
      rmSync(recordFile, { force: true });
    },
  };
}
