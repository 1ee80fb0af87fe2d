import type { Command } from 'commander';
import { temporalSettingsFromEnv } from '../../config/temporal-settings';
import { connectOrStartTemporal } from '../../engine/embedded-temporal';
import { startInProcessWorker } from '../../engine/in-process-worker';
import { main as runWorker } from '../../worker';
import type { CliIo } from '../cli-io';

/** `dev` (server + worker + UI, until Ctrl-C) and `worker` (a worker for an existing server). */
export function registerDevAndWorker(program: Command, io: CliIo): void {
  program
    .command('dev')
    .description('run the embedded Temporal dev server (with the Web UI) and a worker until interrupted')
    .action(async () => {
      const endpoint = await connectOrStartTemporal(process.env, (line) => io.err(line));
      const worker = await startInProcessWorker(endpoint.address, temporalSettingsFromEnv());
      io.out(
        `Temporal at ${endpoint.address}${endpoint.uiUrl ? ` · Web UI ${endpoint.uiUrl}` : ''} · worker running; Ctrl-C to stop`,
      );
      await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
      await worker.stop();
      await endpoint.stop();
    });
  program
    .command('worker')
    .description('run a worker against TEMPORAL_ADDRESS (default 127.0.0.1:7233)')
    .action(() => runWorker());
}
