import { chmodSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { BootClient, BootSummary } from '../client/boot-client';
import { localApiSocket, registerWorker, type WorkerRecord } from '../engine/worker-registry';
import { directBootApi } from './boot-api';
import { apiPathPrefix, toWireError, type BootRef } from './wire';

/** Unix socket paths are limited to 108 bytes; a longer state dir serves no API (commands use their own client). */
const maxSocketPath = 100;

export interface LocalApiServer {
  socketPath: string;
  close(): Promise<void>;
}

/**
 * Serves the local API (`boot-api.ts`) on a Unix socket that only this user may open: `bootwave dev` and
 * `bootwave worker` answer other commands' calls with their own loaded, connected client, so a command on this
 * machine need not load and connect one (most of its start-up). Undefined when the path is too long for a socket.
 */
export async function serveLocalApi(bootClient: BootClient, socketPath: string): Promise<LocalApiServer | undefined> {
  if (socketPath.length > maxSocketPath) return undefined;
  const api = directBootApi(bootClient);
  const boot = ({ workflowId, runId }: BootRef) => api.boot(workflowId, runId);
  const ref = (view: { workflowId: string; runId?: string }): BootRef => ({
    workflowId: view.workflowId,
    ...(view.runId ? { runId: view.runId } : {}),
  });
  const methods: Record<string, (...args: never[]) => Promise<unknown>> = {
    ping: async () => ({ pid: process.pid }),
    up: async (plan: Parameters<typeof api.up>[0], options: Parameters<typeof api.up>[1]) =>
      ref(await api.up(plan, options)),
    start: async (plan: Parameters<typeof api.start>[0], options: Parameters<typeof api.start>[1]) =>
      ref(await api.start(plan, options)),
    bootStatus: (at: BootRef) => boot(at).status(),
    bootResult: (at: BootRef) => boot(at).result(),
    bootCancel: (at: BootRef, reason?: string) => boot(at).cancel(reason),
    bootPause: (at: BootRef) => boot(at).pause(),
    bootResume: (at: BootRef) => boot(at).resume(),
    stackStatus: (plan: string) => api.stackStatus(plan),
    list: async (filter: { plan?: string }) => (await api.list(filter)).map(wireSummary),
  };

  const server = createServer((request, response) => {
    const method = request.url?.startsWith(apiPathPrefix) ? request.url.slice(apiPathPrefix.length) : '';
    const handler = request.method === 'POST' ? methods[method] : undefined;
    if (!handler) {
      response.writeHead(404).end();
      return;
    }
    // A command that goes away (Ctrl-C) ends the calls made for it, such as the long wait for a boot's result.
    const gone = new AbortController();
    response.on('close', () => gone.abort());
    void readJson(request)
      .then((args) =>
        bootClient.client.withAbortSignal(gone.signal, () =>
          handler(...((Array.isArray(args) ? args : []) as never[])),
        ),
      )
      .then(
        (value) => ({ value }),
        (error: unknown) => ({ error: toWireError(error) }),
      )
      .then((answer) => {
        if (response.destroyed) return;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
  });
  // The answer to a long call (a boot's result) may come much later: only the request itself is timed.
  server.requestTimeout = 30_000;
  rmSync(socketPath, { force: true }); // a socket left by a process that was killed
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        rmSync(socketPath, { force: true });
      }),
  };
}

/**
 * Records this process as a lasting worker (`bootwave dev`, `bootwave worker`) so commands on this machine reuse it,
 * and serves their calls on its local API; the returned function withdraws both, the record first.
 */
export async function announceWorker(
  client: BootClient,
  stateDir: string,
  record: Omit<WorkerRecord, 'pid' | 'build' | 'api'>,
): Promise<() => Promise<void>> {
  const served = await serveLocalApi(client, localApiSocket(stateDir));
  const unregister = registerWorker(stateDir, { ...record, ...(served ? { api: served.socketPath } : {}) });
  return async () => {
    unregister();
    await served?.close();
  };
}

/** Dates travel as ISO text; the client turns them back into dates. */
function wireSummary(summary: BootSummary): Record<string, unknown> {
  return {
    ...summary,
    startTime: summary.startTime.toISOString(),
    ...(summary.closeTime ? { closeTime: summary.closeTime.toISOString() } : {}),
  };
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '[]'));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    request.on('error', reject);
  });
}
