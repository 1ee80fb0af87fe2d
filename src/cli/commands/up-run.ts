import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { BootView } from '../../local-api/boot-api';
import { stackWorkflowId } from '../../contract/supervision';
import { criticalPath } from '../../plan/critical-path';
import type { ResolvedPlan } from '../../plan/types';
import { isFailedPhase, type BootStatus } from '../../contract/status';
import { bootOptionsFromFlags, type BootFlags } from '../boot-options-from-flags';
import { bootTimings, summaryTable, timingLines } from '../boot-summary';
import type { CliIo } from '../cli-io';
import { withBootApi } from '../connect-for-command';
import { buildPlanImages } from '../build-images';
import { checkTargetsForCli, loadBootForCli } from '../load-plan-for-cli';
import { sourceName, statusTarget, type PlanSource } from '../plan-and-profiles';
import { watchBoot } from '../watch-boot';

export interface UpFlags extends BootFlags {
  profile?: string[];
  file?: string[];
  detach?: boolean;
  worker: boolean;
  id?: string;
  supervise: boolean;
  build?: boolean;
}

/** `bootwave up`: boots the plan and, unless detached, shows its progress to the end; returns the exit code. */
export async function up(source: PlanSource, flags: UpFlags, io: CliIo): Promise<number> {
  const untouched = 'nothing was started';
  const loaded = loadBootForCli(source, flags.profile, io, untouched);
  if (!loaded) return 1;
  if (!(await checkTargetsForCli(loaded.plan, sourceName(source), io, { cluster: true, untouched }))) return 1;
  const fromFlags = bootOptionsFromFlags(flags);
  if (typeof fromFlags === 'string') return io.fail(fromFlags);
  const plan = flags.build ? await buildPlanImages(loaded.plan, io) : loaded.plan;
  if (!plan) return io.fail('an image failed to build: nothing was started');
  // The command line wins over the file's own settings (a Compose file's x-bootwave).
  const options = { ...loaded.bootOptions, ...fromFlags };
  const connectOptions = {
    worker: flags.worker && !flags.detach,
    ...(flags.detach && {
      needsLastingServer:
        '--detach needs a Temporal server that outlives this command: run `bootwave dev` first, or set TEMPORAL_ADDRESS',
    }),
  };
  return withBootApi(io, connectOptions, async ({ api, endpoint, settings }) => {
    let handle: BootView;
    // Supervision outlives this command, so it needs a server that does too.
    const supervise = flags.supervise !== false && !endpoint.owned;
    try {
      handle = supervise
        ? await api.up(plan, { ...options, workflowId: flags.id })
        : await api.start(plan, { ...options, workflowId: flags.id });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return io.fail(
        `a boot of plan ${plan.name} is already running (workflow ${error.workflowId}): see \`bootwave status ${statusTarget(source, plan.name)}\`, or pass --id`,
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
  });
}

function hasCriticalFailure(status: BootStatus): boolean {
  return status.services.some((s) => s.critical && isFailedPhase(s.phase));
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
  return flags.supervise !== false && embedded
    ? 'not supervised: the embedded Temporal server ends with this command (run `bootwave dev`, or set TEMPORAL_ADDRESS)'
    : 'not supervised (--no-supervise)';
}
