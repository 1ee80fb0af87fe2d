import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Command } from 'commander';
import { BootClient, type BootHandle } from '../../client/boot-client';
import { stackWorkflowId } from '../../contract/supervision';
import { temporalSettingsFromEnv } from '../../config/temporal-settings';
import { connectOrStartTemporal } from '../../engine/embedded-temporal';
import { startInProcessWorker } from '../../engine/in-process-worker';
import type { ResolvedPlan } from '../../plan/types';
import type { BootStatus } from '../../contract/status';
import { bootOptionsFromFlags, type BootFlags } from '../boot-options-from-flags';
import { bootTimings, summaryTable, timingLines } from '../boot-summary';
import type { CliIo } from '../cli-io';
import { checkTargetsForCli, loadBootForCli } from '../load-plan-for-cli';
import { watchBoot } from '../watch-boot';
import { criticalPath } from '../../plan/critical-path';

interface UpFlags extends BootFlags {
  profile?: string[];
  detach?: boolean;
  worker: boolean;
  id?: string;
  supervise: boolean;
}

export function registerUp(program: Command, io: CliIo): void {
  program
    .command('up <plan>')
    .description('boot a plan: waves in dependency order, each service gated on its health')
    .option('--strategy <strategy>', 'waves (a barrier between waves) or dag (start as soon as dependencies are met)')
    .option('--on-failure <policy>', 'rollback, halt or continue')
    .option('--max-parallel <n>', 'most services starting at once per wave')
    .option('--rollback-timeout <duration>', 'time budget of a rollback, e.g. 5m')
    .option('--profile <name...>', 'boot the services of these profiles too')
    .option('--id <workflowId>', 'workflow ID of this boot (default bootwave-<plan>)')
    .option('--detach', 'start the boot and return; it runs on the server and its workers')
    .option('--no-worker', 'do not run a worker in this process (workers run elsewhere)')
    .option('--no-supervise', 'boot only: no supervision (restarts, live health) after the boot')
    .action(async (file: string, flags: UpFlags) => {
      process.exitCode = await up(file, flags, io);
    });
}

async function up(file: string, flags: UpFlags, io: CliIo): Promise<number> {
  const loaded = loadBootForCli(file, flags.profile, io);
  if (!loaded) return 1;
  const { plan } = loaded;
  if (!(await checkTargetsForCli(plan, file, io, { cluster: true }))) return 1;
  const fromFlags = bootOptionsFromFlags(flags);
  if (typeof fromFlags === 'string') return io.fail(fromFlags);
  // The command line wins over the file's own settings (a Compose file's x-bootwave).
  const options = { ...loaded.bootOptions, ...fromFlags };

  const endpoint = await connectOrStartTemporal(process.env, (line) => io.err(line));
  if (flags.detach && endpoint.owned) {
    await endpoint.stop();
    return io.fail(
      '--detach needs a Temporal server that outlives this command: run `bootwave dev` first, or set TEMPORAL_ADDRESS',
    );
  }
  const settings = temporalSettingsFromEnv();
  const supervise = flags.supervise && !endpoint.owned;
  const worker = flags.worker && !flags.detach ? await startInProcessWorker(endpoint.address, settings) : undefined;
  const client = await BootClient.connect({
    address: endpoint.address,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
  });
  try {
    let handle: BootHandle;
    try {
      // Supervision outlives this command, so it needs a server that does too.
      handle = supervise
        ? (await client.up(plan, { ...options, workflowId: flags.id })).boot
        : await client.start(plan, { ...options, workflowId: flags.id });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return io.fail(
        `a boot of plan ${plan.name} is already running (workflow ${error.workflowId}): see \`bootwave status ${file}\`, or pass --id`,
      );
    }
    io.out(`boot ${handle.workflowId} started on ${endpoint.address}`);
    io.out(supervisionNote(plan.name, supervise, flags, endpoint.owned));
    if (endpoint.uiUrl)
      io.out(
        `Web UI: ${endpoint.uiUrl}/namespaces/${settings.namespace}/workflows/${encodeURIComponent(handle.workflowId)}`,
      );
    if (flags.detach) return 0;
    const cancelOnInterrupt = () => {
      io.err('interrupted: cancelling the boot (press Ctrl-C again to leave it running)');
      void handle.cancel('interrupted from the terminal');
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', cancelOnInterrupt);
    const final = await watchBoot(handle, io);
    process.off('SIGINT', cancelOnInterrupt);
    printSummary(plan, final, io);
    return final.phase === 'succeeded' || (final.phase === 'degraded' && !hasCriticalFailure(final)) ? 0 : 1;
  } finally {
    await client.close();
    await worker?.stop();
    await endpoint.stop();
  }
}

function hasCriticalFailure(status: BootStatus): boolean {
  return status.services.some((s) => s.critical && (s.phase === 'failed' || s.phase === 'skipped'));
}

function printSummary(plan: ResolvedPlan, status: BootStatus, io: CliIo): void {
  io.out('');
  io.out(summaryTable(status));
  io.out('');
  const expected = new Map(plan.services.map((s) => [s.name, s.expectedStartMs]));
  const timings = bootTimings(plan, status, criticalPath);
  if (timings)
    for (const line of timingLines(
      timings,
      criticalPath(plan, (name) => expected.get(name) ?? 0),
    ))
      io.out(line);
  io.out(`boot ${status.phase}${status.failure ? `: ${status.failure}` : ''}`);
}

function supervisionNote(plan: string, supervise: boolean, flags: UpFlags, embedded: boolean): string {
  if (supervise)
    return `supervised by ${stackWorkflowId(plan)} until \`bootwave down\`${flags.worker && !flags.detach ? ' (after this command, by the workers of its task queue: `bootwave worker`)' : ''}`;
  return flags.supervise && embedded
    ? 'not supervised: the embedded Temporal server ends with this command (run `bootwave dev`, or set TEMPORAL_ADDRESS)'
    : 'not supervised (--no-supervise)';
}
