import { BootClient } from '../client/boot-client';
import { bootwaveDataConverter } from '../codec/data-converter';
import { connectionOptions, temporalSettingsFromEnv, type TemporalSettings } from '../config/temporal-settings';
import { bootwaveStateDir, connectOrStartTemporal, type TemporalEndpoint } from '../engine/embedded-temporal';
import { findRunningWorker, registerWorker } from '../engine/worker-registry';
import type { CliIo } from './cli-io';

/** What a command talks to boots with. */
export interface CommandConnection {
  client: BootClient;
  endpoint: TemporalEndpoint;
  settings: TemporalSettings;
}

export interface ConnectForCommandOptions {
  /**
   * Run a boot worker in this process while the command runs (`up`, `down`), unless a long-running worker of this
   * build (`bootwave dev`, `bootwave worker`) already polls the task queue.
   */
  worker?: boolean;
  /** This command's worker serves other commands while it runs (`dev`): it is recorded so they reuse it. */
  lastingWorker?: boolean;
  /**
   * Refuse, with this message, a dev server this command would start itself: it stops with the command, so a boot
   * left running on it would stop too (`up --detach`).
   */
  needsLastingServer?: string;
}

/**
 * Runs `fn` with a connection to bootwave's Temporal (given, left running by `bootwave dev`, or started now), a
 * client, and an in-process worker when asked; then closes them in one order, whatever happened: the client, the
 * worker, the endpoint. The worker (the SDK's native core, the drivers) is loaded only when asked for.
 */
export async function withCommandConnection<T>(
  io: CliIo,
  options: ConnectForCommandOptions,
  fn: (connection: CommandConnection) => Promise<T>,
): Promise<T> {
  const endpoint = await connectOrStartTemporal(process.env, (line) => io.err(line));
  // Newest first: each part is closed before what it depends on.
  const closers: (() => Promise<void>)[] = [() => endpoint.stop()];
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    if (options.needsLastingServer && endpoint.owned) throw new Error(options.needsLastingServer);
    const settings = temporalSettingsFromEnv();
    const where = { address: endpoint.address, namespace: settings.namespace, taskQueue: settings.taskQueue };
    const running = options.worker && !options.lastingWorker ? findRunningWorker(bootwaveStateDir(), where) : undefined;
    if (running) io.err(`bootwave: using the running worker of \`bootwave ${running.command}\` (pid ${running.pid})`);
    else if (options.worker) {
      const { startInProcessWorker } = await import('../engine/in-process-worker.js');
      const worker = await startInProcessWorker(endpoint.address, settings);
      closers.unshift(() => worker.stop());
      if (options.lastingWorker) {
        const unregister = registerWorker(bootwaveStateDir(), { ...where, command: 'dev' });
        closers.unshift(async () => unregister());
      }
    }
    const client = await BootClient.connect({
      ...connectionOptions(settings, endpoint.address),
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      dataConverter: bootwaveDataConverter(process.env, 'this client'),
    });
    closers.unshift(() => client.close());
    outcome = { ok: true, value: await fn({ client, endpoint, settings }) };
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
