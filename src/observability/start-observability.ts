import { Client } from '@temporalio/client';
import { connectToTemporal } from '../config/connect-to-temporal';
import { bootwaveDataConverter } from '../codec/data-converter';
import type { TemporalTls } from '../config/temporal-settings';
import { BootwaveMetrics } from './bootwave-metrics';
import { startMetricsServer } from './metrics-server';
import { supervisedStacks } from './supervised-stacks';

/** `/metrics` and `/health` of a worker on `port` (0: any free port), reading stacks through a client of its own. */
export async function startObservability(options: {
  address: string;
  namespace: string;
  port: number;
  host?: string;
  /** TLS and API key of the connection (`connectionOptions`). */
  tls?: TemporalTls | true;
  apiKey?: string;
}): Promise<Observability> {
  const connection = await connectToTemporal(options);
  const dataConverter = bootwaveDataConverter(process.env, 'this worker');
  const stacks = supervisedStacks(
    new Client({ connection, namespace: options.namespace, ...(dataConverter ? { dataConverter } : {}) }),
  );
  const metrics = new BootwaveMetrics(stacks);
  const server = await startMetricsServer({ port: options.port, host: options.host, metrics, stacks });
  return {
    metrics,
    port: server.port,
    close: async () => {
      await server.close();
      await connection.close();
    },
  };
}

/** A worker's `/metrics` and `/health`: the metrics its activities report to, and the server's port. */
export interface Observability {
  metrics: BootwaveMetrics;
  port: number;
  close(): Promise<void>;
}
