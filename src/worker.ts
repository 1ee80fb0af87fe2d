#!/usr/bin/env node
/**
 * A bootwave worker: runs boots (workflows) and their side effects (activities) for the task queue, until
 * SIGINT/SIGTERM, then drains. `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `BOOTWAVE_TASK_QUEUE` configure it;
 * `BOOTWAVE_HOST` (`--host`) makes it serve that host's queue too (`src/placement/`).
 */
import { codecKeyringFromEnv } from './codec/codec-keys';
import { connectionOptions, temporalSettingsFromEnv } from './config/temporal-settings';
import { forwardTemporalLogs } from './engine/forward-temporal-logs';
import { bootwaveStateDir } from './engine/embedded-temporal';
import { connectBootWorker } from './engine/in-process-worker';
import type { BootClient } from './client/boot-client';
import { connectWithSettings } from './client/connect-with-settings';
import { announceWorker } from './local-api/local-api-server';
import { workerHostFromEnv } from './engine/worker-host';
import { createLogger } from './logger';
import type { Observability } from './observability/start-observability';

export async function main(): Promise<void> {
  // A bad host name is a user's mistake: said before the native runtime starts (it would keep the process alive).
  workerHostFromEnv();
  const logger = createLogger();
  forwardTemporalLogs(logger);
  const settings = temporalSettingsFromEnv();
  const address = settings.address ?? '127.0.0.1:7233';
  // Opt-in, and loaded only then (prom-client is ≈ 20 MiB): `/metrics` (Prometheus) and `/health` (the supervised
  // stacks' documents) on this port.
  const metricsPort = process.env.BOOTWAVE_METRICS_PORT;
  let observability: Observability | undefined;
  if (metricsPort) {
    const { startObservability } = await import('./observability/start-observability.js');
    observability = await startObservability({
      ...connectionOptions(settings, address),
      namespace: settings.namespace,
      port: Number(metricsPort),
      host: process.env.BOOTWAVE_METRICS_HOST,
    });
    logger.info({ port: observability.port }, 'metrics and health on /metrics, /health');
  }
  const { worker, connection, shutdown, release, host, taskQueues } = await connectBootWorker(
    address,
    settings,
    observability?.metrics,
  );
  shutdown.signal.addEventListener('abort', () =>
    logger.info('worker draining: probes hand over, starts and stops finish'),
  );
  const tls = connectionOptions(settings, address).tls !== undefined;
  const codecKey = codecKeyringFromEnv()?.encrypting.id;
  logger.info(
    {
      address,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      host,
      taskQueues,
      tls,
      payloadCodec: codecKey ?? 'off',
    },
    'worker started',
  );
  // `up` on this machine boots through this worker instead of starting one of its own, and `up`, `status`, `list`
  // … call Temporal through this process's client (its local API) instead of loading and connecting their own.
  let apiClient: BootClient | undefined;
  let withdraw: (() => Promise<void>) | undefined;
  try {
    apiClient = await connectWithSettings(settings, address, 'this worker');
    withdraw = await announceWorker(apiClient, bootwaveStateDir(), {
      address,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      command: 'worker',
    });
    await worker.run(); // the SDK drains on SIGINT/SIGTERM: no new tasks, in-flight ones get the shutdown grace
  } finally {
    await withdraw?.();
    await apiClient?.close();
    release();
    await connection.close();
    await observability?.close();
  }
  logger.info('worker stopped');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bootwave worker: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
