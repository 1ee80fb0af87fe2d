import type { BootClient } from '../client/boot-client';
import { readBootStatus, readStackStatus, type LiveBootStatus } from '../client/read-status';
import { isWorkflowNotFound, type WorkflowReader } from '../client/workflow-reader';
import { stackWorkflowId } from '../contract/ids';
import type { StackStatus } from '../contract/supervision';
import { temporalSettingsFromEnv, type TemporalSettings } from '../config/temporal-settings';
import { bootwaveStateDir, connectOrStartTemporal, type TemporalEndpoint } from '../engine/embedded-temporal';
import { findRunningWorker, type WorkerRecord } from '../engine/worker-registry';
import { directBootApi, type BootApi } from '../local-api/boot-api';
import type { CliIo } from './cli-io';

/** What a command talks to boots with. */
export interface CommandConnection {
  client: BootClient;
  endpoint: TemporalEndpoint;
  settings: TemporalSettings;
}

/** What a command that needs only the boot API (`boot-api.ts`) talks to boots with. */
export interface ApiConnection {
  api: BootApi;
  endpoint: TemporalEndpoint;
  settings: TemporalSettings;
}

export interface ConnectForCommandOptions {
  /**
   * Run a boot worker in this process while the command runs (`up`, `down`), unless a long-running worker of this
   * build (`bootwave dev`, `bootwave worker`) already polls the task queue.
   */
  worker?: boolean;
  /**
   * This command's worker serves other commands while it runs (`dev`): it is recorded so they reuse it, and it
   * answers their calls on its local API.
   */
  lastingWorker?: boolean;
  /**
   * Refuse, with this message, a dev server this command would start itself: it stops with the command, so a boot
   * left running on it would stop too (`up --detach`).
   */
  needsLastingServer?: string;
}

type Where = Pick<WorkerRecord, 'address' | 'namespace' | 'taskQueue'>;

/** Registers what must be closed, newest first: each part is closed before what it depends on. */
type Closers = (() => Promise<void>)[];

/**
 * Runs `fn` with a connection to bootwave's Temporal (given, left running by `bootwave dev`, or started now), a
 * client, and an in-process worker when asked; then closes them in one order, whatever happened: the client, the
 * worker, the endpoint. The worker (the SDK's native core, the drivers) is loaded only when asked for.
 */
export function withCommandConnection<T>(
  io: CliIo,
  options: ConnectForCommandOptions,
  fn: (connection: CommandConnection) => Promise<T>,
): Promise<T> {
  return withEndpoint(io, options, async (endpoint, settings, where, closers) => {
    const running = options.worker && !options.lastingWorker ? findRunningWorker(bootwaveStateDir(), where) : undefined;
    const client = await connectClient(io, options, endpoint, settings, running, closers);
    if (options.lastingWorker) {
      const { announceWorker } = await import('../local-api/local-api-server.js');
      // Withdrawn before the client closes: no call may reach a closed client.
      closers.unshift(await announceWorker(client, bootwaveStateDir(), { ...where, command: 'dev' }));
    }
    return fn({ client, endpoint, settings });
  });
}

/**
 * As `withCommandConnection`, for commands that need only the boot API: through the local API of a running
 * `bootwave dev` or `bootwave worker` of this build on this machine when one polls the task queue (the command
 * then loads no Temporal client and opens no connection), else through a client of its own.
 */
export function withBootApi<T>(
  io: CliIo,
  options: ConnectForCommandOptions,
  fn: (connection: ApiConnection) => Promise<T>,
): Promise<T> {
  return withEndpoint(io, options, async (endpoint, settings, where, closers) => {
    const running = findRunningWorker(bootwaveStateDir(), where);
    const local = await runningWorkerApi(io, options, running, closers);
    if (local) return fn({ api: local, endpoint, settings });
    const client = await connectClient(io, options, endpoint, settings, running, closers);
    return fn({ api: directBootApi(client), endpoint, settings });
  });
}

/** What `status` reads a boot and its supervised stack with. */
export interface StatusSource {
  bootStatus(workflowId: string): Promise<LiveBootStatus>;
  /** The plan's stack, or undefined when the plan was never `up` supervised on this server. */
  stackStatus(plan: string): Promise<StackStatus | undefined>;
}

/**
 * As `withBootApi`, for `status`: through a running worker's local API when one runs; else through a reader of its
 * own that loads no Temporal SDK (`grpc-workflow-reader.ts`), as the SDK's client is most of a command's start-up.
 * When that reader cannot reach the server or is refused, the SDK's client connects instead and says why.
 */
export async function withStatusSource<T>(io: CliIo, fn: (source: StatusSource) => Promise<T>): Promise<T> {
  try {
    return await withEndpoint(io, {}, async (endpoint, settings, where, closers) => {
      const local = await runningWorkerApi(io, {}, findRunningWorker(bootwaveStateDir(), where), closers);
      if (local) return fn(apiStatusSource(local));
      const { grpcWorkflowReader } = await import('../client/grpc-workflow-reader.js');
      const { bootwavePayloadCodec } = await import('../codec/data-converter.js');
      const reader = grpcWorkflowReader(settings, endpoint.address, bootwavePayloadCodec(process.env, 'this client'));
      closers.unshift(async () => reader.close());
      return fn(readerStatusSource(reader));
    });
  } catch (error) {
    // By name: the reader's module is loaded only when it is used.
    if (!(error instanceof Error && error.name === 'TemporalUnreachableError')) throw error;
    return withBootApi(io, {}, ({ api }) => fn(apiStatusSource(api)));
  }
}

function apiStatusSource(api: BootApi): StatusSource {
  return { bootStatus: (workflowId) => api.boot(workflowId).status(), stackStatus: (plan) => api.stackStatus(plan) };
}

function readerStatusSource(reader: WorkflowReader): StatusSource {
  return {
    bootStatus: (workflowId) => readBootStatus(reader, workflowId),
    stackStatus: (plan) =>
      readStackStatus(reader, stackWorkflowId(plan)).catch((error: unknown) => {
        if (isWorkflowNotFound(error)) return undefined;
        throw error;
      }),
  };
}

/**
 * The local API of `running`, a `bootwave dev` or `bootwave worker` of this build on this machine that polls the
 * task queue, when it answers (the command then loads no Temporal client and opens no connection).
 */
async function runningWorkerApi(
  io: CliIo,
  options: ConnectForCommandOptions,
  running: WorkerRecord | undefined,
  closers: Closers,
): Promise<BootApi | undefined> {
  // BOOTWAVE_LOCAL_API=off: the command's own client (its own keys, credentials and identity) even so.
  if (!running?.api || process.env.BOOTWAVE_LOCAL_API === 'off') return undefined;
  const { localBootApi } = await import('../local-api/local-api-client.js');
  const local = await localBootApi(running.api, `\`bootwave ${running.command}\` (pid ${running.pid})`);
  if (!local) return undefined;
  if (options.worker) io.err(usingWorker(running));
  closers.unshift(async () => local.close());
  return local.api;
}

async function withEndpoint<T>(
  io: CliIo,
  options: ConnectForCommandOptions,
  fn: (endpoint: TemporalEndpoint, settings: TemporalSettings, where: Where, closers: Closers) => Promise<T>,
): Promise<T> {
  const endpoint = await connectOrStartTemporal(process.env, (line) => io.err(line));
  const closers: Closers = [() => endpoint.stop()];
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    if (options.needsLastingServer && endpoint.owned) throw new Error(options.needsLastingServer);
    const settings = temporalSettingsFromEnv();
    const where = { address: endpoint.address, namespace: settings.namespace, taskQueue: settings.taskQueue };
    outcome = { ok: true, value: await fn(endpoint, settings, where, closers) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  for (const close of closers) {
    try {
      await close();
    } catch (error) {
      // The command's own failure matters more than one in closing; otherwise report the first.
      if (outcome.ok) outcome = { ok: false, error };
    }
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/**
 * The command's own client, after its in-process worker when it needs one and none runs already (`running`, the
 * lasting worker of its queue the registry names, if any).
 */
async function connectClient(
  io: CliIo,
  options: ConnectForCommandOptions,
  endpoint: TemporalEndpoint,
  settings: TemporalSettings,
  running: WorkerRecord | undefined,
  closers: Closers,
): Promise<BootClient> {
  const reuse = options.worker && !options.lastingWorker ? running : undefined;
  if (reuse) io.err(usingWorker(reuse));
  else if (options.worker) {
    const { startInProcessWorker } = await import('../engine/in-process-worker.js');
    const worker = await startInProcessWorker(endpoint.address, settings);
    closers.unshift(() => worker.stop());
  }
  const { connectWithSettings } = await import('../client/connect-with-settings.js');
  const client = await connectWithSettings(settings, endpoint.address, 'this client');
  closers.unshift(() => client.close());
  return client;
}

function usingWorker(running: WorkerRecord): string {
  return `bootwave: using the running worker of \`bootwave ${running.command}\` (pid ${running.pid})`;
}
