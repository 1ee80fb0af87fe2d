import type { Command } from 'commander';
import type { CliIo } from '../cli-io';

/** `dev` (server + worker + UI, until Ctrl-C) and `worker` (a worker for an existing server). */
export function registerDevAndWorker(program: Command, io: CliIo): void {
  program
    .command('dev')
    .description('run the embedded Temporal dev server (with the Web UI) and a worker until interrupted')
    .action(async () => {
      const { dev } = await import('./dev-run.js');
      await dev(io);
    });
  program
    .command('worker')
    .description('run a worker against TEMPORAL_ADDRESS (default 127.0.0.1:7233)')
    .option(
      '--host <name>',
      "also run the services a plan places on this host (`host:`), from the host's own task queue (BOOTWAVE_HOST)",
    )
    .action(async (flags: { host?: string }) => {
      // The worker reads it from the environment, as a container or a unit file sets it.
      if (flags.host !== undefined) process.env.BOOTWAVE_HOST = flags.host;
      const { main: runWorker } = await import('../../worker.js');
      await runWorker();
    });
}
