import { NativeConnection, Runtime } from '@temporalio/worker';
import type { SupervisionObserver } from '../activities/supervision-observer';
import { bootwaveDataConverter } from '../codec/data-converter';
import { explainConnectFailure } from '../config/connect-to-temporal';
import { connectionOptions, type TemporalSettings } from '../config/temporal-settings';
import { createLogger } from '../logger';
import { tuneWorkerHeap } from './worker-heap';
import { createBootWorker } from './create-boot-worker';
import { createDrivers } from './create-drivers';
import { forwardTemporalLogs } from './forward-temporal-logs';
import { hostTaskQueue } from '../contract/task-queues';
import { WorkerGroup } from './worker-group';
import { workerHostFromEnv, workerIdentity } from './worker-host';

/**
 * A boot worker with the real drivers, connected to `address`: what `bootwave worker`, `up` and `dev` run.
 * It drains on the runtime's shutdown signals (SIGINT, SIGTERM, …): the SDK stops polling and gives in-flight
 * activities the shutdown grace; `shutdown` additionally tells probes to hand over at once. `release` removes the
 * signal listeners once the worker has stopped. With a host (`BOOTWAVE_HOST`, `bootwave worker --host`) it also
 * polls that host's queue, for the services placed on it.
 */
export async function connectBootWorker(
  address: string,
  settings: TemporalSettings,
  observer?: SupervisionObserver,
): Promise<{
  worker: WorkerGroup;
  connection: NativeConnection;
  shutdown: AbortController;
  release(): void;
  host?: string;
  taskQueues: string[];
}> {
  const host = workerHostFromEnv();
  const dataConverter = bootwaveDataConverter(process.env, 'this worker');
  const options = connectionOptions(settings, address);
  const connection = await NativeConnection.connect(options).catch(async (error: unknown) => {
    throw await explainConnectFailure(error, options);
  });
  const shutdown = new AbortController();
  const common = {
    connection,
    dataConverter,
    namespace: settings.namespace,
    drivers: createDrivers(),
    maxConcurrentActivityTaskExecutions: Number(process.env.BOOTWAVE_MAX_ACTIVITIES ?? 1000),
    shuttingDown: shutdown.signal,
    observer,
    identity: workerIdentity(host),
  };
  const taskQueues = [settings.taskQueue, ...(host === undefined ? [] : [hostTaskQueue(settings.taskQueue, host)])];
  tuneWorkerHeap();
  const worker = new WorkerGroup(
    await Promise.all(taskQueues.map((taskQueue, i) => createBootWorker({ ...common, taskQueue, workflows: i === 0 }))),
  );
  const signals = Runtime.instance().options.shutdownSignals;
  const onSignal = () => shutdown.abort();
  for (const signal of signals) process.once(signal, onSignal);
  const release = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  return { worker, connection, shutdown, release, host, taskQueues };
}

/** A worker inside a CLI command (`up`, `dev`), stopped with it. */
export async function startInProcessWorker(
  address: string,
  settings: TemporalSettings,
): Promise<{ stop(): Promise<void> }> {
  // The terminal shows progress; the SDK's own chatter goes to the JSON log only from warnings up, and a failed
  // attempt's error without its stack (a missing secret is the user's to fix, not a bug), unless debugging.
  // The core's warnings (an activity that finished after its stack did) are noise beside the command's output.
  const level = process.env.BOOTWAVE_LOG_LEVEL ?? 'warn';
  const stacks = level === 'debug' || level === 'trace';
  forwardTemporalLogs(createLogger(level, { stacks }), 'WARN', 'ERROR');
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
