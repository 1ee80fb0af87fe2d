import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { SupervisionObserver } from '../activities/supervision-observer';
import { bootwaveDataConverter } from '../codec/data-converter';
import { explainConnectFailure } from '../config/connect-to-temporal';
import { connectionOptions, type TemporalSettings } from '../config/temporal-settings';
import { createLogger } from '../logger';
import { createBootWorker } from './create-boot-worker';
import { createDrivers } from './create-drivers';
import { forwardTemporalLogs } from './forward-temporal-logs';

/**
 * A boot worker with the real drivers, connected to `address`: what `bootwave worker`, `up` and `dev` run.
 * It drains on the runtime's shutdown signals (SIGINT, SIGTERM, …): the SDK stops polling and gives in-flight
 * activities the shutdown grace; `shutdown` additionally tells probes to hand over at once. `release` removes the
 * signal listeners once the worker has stopped.
 */
export async function connectBootWorker(
  address: string,
  settings: TemporalSettings,
  observer?: SupervisionObserver,
): Promise<{ worker: Worker; connection: NativeConnection; shutdown: AbortController; release(): void }> {
  const dataConverter = bootwaveDataConverter(process.env, 'this worker');
  const options = connectionOptions(settings, address);
  const connection = await NativeConnection.connect(options).catch(async (error: unknown) => {
    throw await explainConnectFailure(error, options);
  });
  const shutdown = new AbortController();
  const worker = await createBootWorker({
    connection,
    dataConverter,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    drivers: createDrivers(),
    maxConcurrentActivityTaskExecutions: Number(process.env.BOOTWAVE_MAX_ACTIVITIES ?? 1000),
    shuttingDown: shutdown.signal,
    observer,
  });
  const signals = Runtime.instance().options.shutdownSignals;
  const onSignal = () => shutdown.abort();
  for (const signal of signals) process.once(signal, onSignal);
  const release = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  return { worker, connection, shutdown, release };
}

/** A worker inside a CLI command (`up`, `dev`), stopped with it. */
export async function startInProcessWorker(
  address: string,
  settings: TemporalSettings,
): Promise<{ stop(): Promise<void> }> {
  // The terminal shows progress; the SDK's own chatter goes to the JSON log only from warnings up.
  // The core's warnings (an activity that finished after its stack did) are noise beside the command's output.
  forwardTemporalLogs(createLogger(process.env.BOOTWAVE_LOG_LEVEL ?? 'warn'), 'WARN', 'ERROR');
  const { worker, connection, shutdown, release } = await connectBootWorker(address, settings);
  const running = worker.run();
  return {
    stop: async () => {
      shutdown.abort();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      release();
      await connection.close();
    },
  };
}
