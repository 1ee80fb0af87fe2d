import { request, type ClientRequest } from 'node:http';
import type { BootSummary } from '../client/boot-client';
import type { BootApi, BootView } from './boot-api';
import { apiPathPrefix, fromWireError, type BootRef, type WireError } from './wire';

/** The local API could not be reached or answered nonsense: the worker behind it has gone. */
export class LocalApiUnreachableError extends Error {
  override name = 'LocalApiUnreachableError';
}

/** The local API, and how to end the calls still open when the command is done (a status read it stopped waiting for). */
export interface LocalBootApi {
  api: BootApi;
  close(): void;
}

/**
 * The local API of a running `bootwave dev` or `bootwave worker` (`local-api-server.ts`), if it answers: the same
 * calls as the command's own client, made by that process. Loads neither the Temporal client nor gRPC.
 */
export async function localBootApi(socketPath: string, who: string): Promise<LocalBootApi | undefined> {
  const open = new Set<ClientRequest>();
  const call = <T>(method: string, ...args: unknown[]) =>
    callApi<T>(socketPath, method, args, undefined, open).catch((error: unknown) => {
      if (!(error instanceof LocalApiUnreachableError)) throw error;
      throw new LocalApiUnreachableError(`lost ${who}, through which this command reached Temporal: ${error.message}`);
    });
  try {
    await callApi(socketPath, 'ping', [], pingTimeoutMs, open);
  } catch {
    return undefined; // gone, or not answering: the command connects by itself
  }
  const view = (at: BootRef): BootView => ({
    workflowId: at.workflowId,
    ...(at.runId ? { runId: at.runId } : {}),
    status: () => call('bootStatus', at),
    result: () => call('bootResult', at),
    cancel: (reason) => call('bootCancel', at, reason),
    pause: () => call('bootPause', at),
    resume: () => call('bootResume', at),
  });
  const api: BootApi = {
    up: async (plan, options) => view(await call<BootRef>('up', plan, options)),
    start: async (plan, options) => view(await call<BootRef>('start', plan, options)),
    boot: (workflowId, runId) => view({ workflowId, ...(runId ? { runId } : {}) }),
    stackStatus: (plan) => call('stackStatus', plan),
    list: async (filter) => (await call<WireSummary[]>('list', filter)).map(summaryFromWire),
  };
  return { api, close: () => open.forEach((request) => request.destroy()) };
}

type WireSummary = Omit<BootSummary, 'startTime' | 'closeTime'> & { startTime: string; closeTime?: string };

function summaryFromWire(wire: WireSummary): BootSummary {
  const { closeTime, ...rest } = wire;
  return { ...rest, startTime: new Date(wire.startTime), ...(closeTime ? { closeTime: new Date(closeTime) } : {}) };
}

/** A worker that does not answer a ping within this is as good as gone (stopped, or its event loop stuck). */
const pingTimeoutMs = 2_000;

/** One call; `timeoutMs` bounds it (a boot's result may take as long as the boot: unbounded). */
function callApi<T>(
  socketPath: string,
  method: string,
  args: unknown[],
  timeoutMs: number | undefined,
  open: Set<ClientRequest>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const body = JSON.stringify(args);
    const sent = request(
      {
        socketPath,
        path: `${apiPathPrefix}${method}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(new LocalApiUnreachableError(error.message)));
        response.on('end', () => {
          let answer: { value?: T; error?: WireError };
          try {
            answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof answer;
          } catch {
            return reject(
              new LocalApiUnreachableError(`the local API answered ${method} with HTTP ${response.statusCode}`),
            );
          }
          if (answer.error) reject(fromWireError(answer.error));
          else resolve(answer.value as T);
        });
      },
    );
    open.add(sent);
    sent.on('close', () => open.delete(sent));
    sent.on('error', (error) => reject(new LocalApiUnreachableError(error.message)));
    if (timeoutMs !== undefined)
      sent.setTimeout(timeoutMs, () => sent.destroy(new Error(`no answer to ${method} within ${timeoutMs} ms`)));
    sent.end(body);
  });
}
