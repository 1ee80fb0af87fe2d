import type { Command } from 'commander';
import { teardownWorkflowId } from '../../contract/ids';
import { temporalSettingsFromEnv } from '../../config/temporal-settings';
import { connectOrStartTemporal } from '../../engine/embedded-temporal';
import { startInProcessWorker } from '../../engine/in-process-worker';
import { workflowTypes, type TeardownWorkflow } from '../../contract/workflows';
import { Client, Connection } from '@temporalio/client';
import type { CliIo } from '../cli-io';
import { loadPlanForCli } from '../load-plan-for-cli';

/** `down <plan>`: stop every service of the plan in reverse dependency order, as a durable workflow. */
export function registerDown(program: Command, io: CliIo): void {
  program
    .command('down <plan>')
    .description('stop every service of a plan, in reverse dependency order')
    .option('--profile <name...>', 'include the services of these profiles')
    .option('--no-worker', 'do not run a worker in this process (workers run elsewhere)')
    .action(async (file: string, flags: { profile?: string[]; worker: boolean }) => {
      const plan = loadPlanForCli(file, flags.profile, io);
      if (!plan) return void (process.exitCode = 1);
      const endpoint = await connectOrStartTemporal(process.env, (line) => io.err(line));
      const settings = temporalSettingsFromEnv();
      const worker = flags.worker ? await startInProcessWorker(endpoint.address, settings) : undefined;
      const connection = await Connection.connect({ address: endpoint.address });
      try {
        const client = new Client({ connection, namespace: settings.namespace });
        const result = await client.workflow.execute<TeardownWorkflow>(workflowTypes.teardown, {
          taskQueue: settings.taskQueue,
          workflowId: teardownWorkflowId(plan.name),
          args: [plan],
        });
        for (const name of result.stopped) io.out(`■ ${name} stopped`);
        if (result.absent.length > 0) io.out(`  not running: ${result.absent.join(', ')}`);
        for (const failure of result.failed) io.err(`✖ ${failure.service}: ${failure.error}`);
        process.exitCode = result.failed.length > 0 ? 1 : 0;
      } finally {
        await connection.close();
        await worker?.stop();
        await endpoint.stop();
      }
    });
}
