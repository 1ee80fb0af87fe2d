import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { stackWorkflowId } from '../../contract/supervision';
import type { UpdateOptions, UpdateReport } from '../../contract/update';
import { parseDuration } from '../../plan/duration';
import { UpdateOrders, type UpdateOrder } from '../../plan/types';
import { parseBatchSize } from '../../plan/update-schema';
import { keepBuiltImages } from '../../update/keep-built-images';
import { planUpdate } from '../../update/update-plan';
import { buildPlanImages } from '../build-images';
import type { CliIo } from '../cli-io';
import { withCommandConnection } from '../connect-for-command';
import { loadPlanForCli } from '../load-plan-for-cli';
import { sourceArguments, type PlanSource } from '../plan-and-profiles';
import { planLines, progressLines, reportLines } from '../update-view';
import { pauseUnless } from '../poll-wait';

export interface UpdateFlags {
  dryRun?: boolean;
  batchSize?: string;
  observe?: string;
  pause?: string;
  failureThreshold?: string;
  order?: string;
  profile?: string[];
  file?: string[];
  id?: string;
  detach?: boolean;
  worker: boolean;
  build?: boolean;
}

const pollMs = 500;

/** `bootwave update`: the diff and batches, then live progress per batch and the final report; the exit code. */
export async function update(source: PlanSource, flags: UpdateFlags, io: CliIo): Promise<number> {
  const loaded = loadPlanForCli(source, flags.profile, io, 'nothing was changed');
  if (!loaded) return 1;
  const options = optionsFromFlags(flags);
  if (typeof options === 'string') return io.fail(options);
  // Building changes no running service, so a dry run builds too: its diff then shows what a rebuild changes.
  const plan = flags.build ? await buildPlanImages(loaded, io) : loaded;
  if (!plan) return io.fail('an image failed to build: nothing was changed');
  const connectOptions = {
    worker: flags.worker && !flags.dryRun && !flags.detach,
    needsLastingServer: `update needs the Temporal server plan ${plan.name} is supervised on: run \`bootwave dev\` and \`bootwave up\` first, or set TEMPORAL_ADDRESS`,
  };
  return withCommandConnection(io, connectOptions, async ({ client, endpoint }) => {
    if (flags.dryRun) {
      // Diffed here against the plan the stack runs: nothing is started, no worker is needed.
      const running = await client.runningPlan(plan.name).catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      });
      if (!running)
        return io.fail(
          `no supervised stack runs for plan ${plan.name} on ${endpoint.address} (${stackWorkflowId(plan.name)}): nothing to compare with; \`bootwave up ${sourceArguments(source)}\` boots it`,
        );
      const request = { updateWorkflowId: '', plan: keepBuiltImages(running, plan), options };
      for (const line of planLines(planUpdate(running, request))) io.out(line);
      return 0;
    }
    let handle;
    try {
      handle = await client.update(plan, { ...options, ...(flags.id ? { workflowId: flags.id } : {}) });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return io.fail(`an update of plan ${plan.name} is already running (workflow ${error.workflowId})`);
    }
    io.out(`update ${handle.workflowId} started on ${endpoint.address}`);
    if (flags.detach) return 0;
    let settled: { report?: UpdateReport; error?: unknown } | undefined;
    const done = handle.report().then(
      (report) => void (settled = { report }),
      (error: unknown) => void (settled = { error }),
    );
    let seen: UpdateReport | undefined;
    while (!settled) {
      const now = await handle.progress().catch(() => undefined);
      if (now && !seen) for (const line of planLines(now)) io.out(line);
      if (now) for (const line of progressLines(seen, now)) io.out(line);
      if (now) seen = now;
      await pauseUnless(done, pollMs);
    }
    if (settled.error !== undefined) throw settled.error;
    const report = settled.report!;
    if (!seen && report.outcome !== 'refused') for (const line of planLines(report)) io.out(line);
    for (const line of progressLines(seen, report)) io.out(line);
    io.out('');
    for (const line of reportLines(report)) io.out(line);
    return ['updated', 'dry-run', 'skipped'].includes(report.outcome) ? 0 : 1;
  });
}

/** The rollout settings the command line gives (each overrides the plan's `update:`), or what is wrong. */
export function optionsFromFlags(flags: UpdateFlags): UpdateOptions | string {
  const options: UpdateOptions = {};
  if (flags.batchSize !== undefined) {
    const size = parseBatchSize(flags.batchSize);
    if (!size) return `--batch-size ${flags.batchSize}: expected a count such as 2 or a percent such as 25%`;
    options.batchSize = size;
  }
  for (const [flag, value, key] of [
    ['--observe', flags.observe, 'observeMs'],
    ['--pause', flags.pause, 'pauseMs'],
  ] as const) {
    if (value === undefined) continue;
    const ms = parseDuration(value);
    if (ms === undefined) return `${flag} ${value}: expected a duration such as 30s, 2m or 500ms`;
    options[key] = ms;
  }
  if (flags.failureThreshold !== undefined) {
    const percent = /^\d+(\.\d+)?%?$/.test(flags.failureThreshold) ? parseFloat(flags.failureThreshold) : NaN;
    if (!(percent >= 0 && percent <= 100))
      return `--failure-threshold ${flags.failureThreshold}: expected a percent from 0 to 100, e.g. 25%`;
    options.failureThresholdPercent = percent;
  }
  if (flags.order !== undefined) {
    if (!UpdateOrders.includes(flags.order as UpdateOrder))
      return `--order ${flags.order}: expected one of ${UpdateOrders.join(', ')}`;
    options.order = flags.order as UpdateOrder;
  }
  return options;
}
