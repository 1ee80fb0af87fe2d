import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { bootSearchAttributes } from '../contract/search-attributes';
import { freePort } from './free-port';
import { startSdkDevServer } from './sdk-dev-server';
import type { TemporalCliSource } from './temporal-cli';

export interface DevServerOptions {
  source: TemporalCliSource;
  /** SQLite file, so boots survive a restart of the server. */
  dbFile: string;
  port?: number;
  uiPort?: number;
  /** Server output goes here (the dev server is quiet at its default log level). */
  logFile?: string;
  /** Extra `--dynamic-config-value` pairs, e.g. `limit.historyCount.suggestContinueAsNew=40`. */
  dynamicConfig?: string[];
  startTimeoutMs?: number;
}

/** A running dev server; `pid` is set when bootwave runs the binary itself (tests kill and restart it). */
export interface DevServer {
  address: string;
  uiUrl: string;
  pid?: number;
  stop(): Promise<void>;
}

/**
 * Server settings bootwave's boots are faster with. Eager activity execution hands the activity a workflow task
 * schedules (the next service's start) back in the task's own completion response, instead of through the task
 * queue: one round-trip less on every dependency hand-off.
 */
const bootwaveDynamicConfig = ['system.enableActivityEagerExecution=true'];

/**
 * SQLite in write-ahead-log mode, synced at checkpoints: a committed transaction survives a crash (kill -9) of the
 * server, only an OS crash can lose the last ones. With the default rollback journal and a sync per transaction,
 * every event of a boot waits for the disk: a 200-service boot took 1.6–2.3× as long.
 */
const bootwaveSqlitePragmas = ['journal_mode=wal', 'synchronous=normal'];

const extraArgs = (options: DevServerOptions) => [
  ...[...bootwaveDynamicConfig, ...(options.dynamicConfig ?? [])].flatMap((pair) => ['--dynamic-config-value', pair]),
  ...bootwaveSqlitePragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
];

function devServerArgs(options: DevServerOptions, port: number, uiPort: number): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--db-filename',
    options.dbFile,
    '--log-level',
    'warn',
    ...bootSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ...extraArgs(options),
  ];
}

/** Waits until the frontend answers; the dev server takes a few seconds on a busy 2-core machine. */
export async function waitForServer(address: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  // Loaded here, not at the top: a command that finds a running server must not pay for the gRPC client.
  const { Connection } = await import('@temporalio/client');
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`Temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Temporal server at ${address} not reachable after ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * Starts a local dev server with a persistent database and the Web UI, on free ports. A port found free can be
 * taken before the server binds it (by another process, or by the server's own HTTP API and cluster ports, which it
 * picks itself): a server that exits while starting is started again on new ports, twice at most, when the ports
 * are bootwave's to choose.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const attempts = options.port === undefined && options.uiPort === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePorts(options);
    } catch (error) {
      if (!(error instanceof DevServerExitedError) || attempt >= attempts) throw error;
    }
  }
}

/** The server process ended before it answered (a port taken meanwhile, a locked database…). */
export class DevServerExitedError extends Error {
  override name = 'DevServerExitedError';
}

async function startOnFreePorts(options: DevServerOptions): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  if (options.source.kind === 'sdk-download') {
    return startSdkDevServer({
      port,
      uiPort,
      dbFile: options.dbFile,
      searchAttributes: bootSearchAttributes,
      extraArgs: extraArgs(options),
      tried: options.source.tried,
    });
  }
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.source.path, devServerArgs(options, port, uiPort), { stdio: ['ignore', out, out] });
  const address = `127.0.0.1:${port}`;
  try {
    await waitForServer(address, timeoutMs, child);
  } catch (error) {
    child.kill('SIGKILL');
    if (child.exitCode === null) throw error;
    const log = options.logFile ? ` (its log: ${options.logFile})` : '';
    throw new DevServerExitedError(`Temporal dev server exited with code ${child.exitCode}${log}`);
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
