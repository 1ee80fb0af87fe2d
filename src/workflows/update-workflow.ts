import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  log,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { checkPlan } from '../contract/boot-input-schema';
import { stackWorkflowId } from '../contract/supervision';
import {
  requestUpdateSignal,
  updateReportSignal,
  updateStatusQuery,
  type UpdateInput,
  type UpdateReport,
} from '../contract/update';
import { updateWindowGate } from '../schedules/maintenance-window';
import { describeFailure } from './failure-message';

/** Asks again this often when the stack was moving to a new run (a moment). */
const retryAfterMs = 1000;
const maxAsks = 30;

/**
 * A rolling update of a supervised stack: hands the new plan to the stack's owner (`bootwave-stack-<plan>`, one
 * operation on a stack at a time) and waits for its report. The stack runs the rollout: the update workflow is
 * the durable handle a client, the Web UI or a Schedule starts and waits on.
 *
 * No stack runs for the plan: the update fails (`NoStack`) rather than boot one — an update (say, a schedule at
 * 3 am) of a stack someone took down must not bring it back; `bootwave up` does that.
 * A refused update (another update running, a boot or `down` under way) fails with `UpdateRefused`; one whose
 * rollback triggers fired fails with `UpdateRolledBack` (so a Schedule counts it as a failure); the report is the
 * failure's details, and the result when it updated.
 */
export async function updateWorkflow(input: UpdateInput): Promise<UpdateReport> {
  const plan = input?.plan;
  const problems = plan ? checkPlan(plan) : ['the update input has no plan'];
  if (problems.length > 0)
    throw ApplicationFailure.nonRetryable(`invalid plan:${problems.map((p) => `\n- ${p}`).join('')}`, 'PlanError');
  const { workflowId, runId } = workflowInfo();
  let report: UpdateReport | undefined;
  setHandler(updateReportSignal, (answer) => {
    const ours = answer.updateWorkflowId === workflowId && (answer.updateRunId ?? runId) === runId;
    if (ours) report = answer;
  });
  setHandler(updateStatusQuery, () => report);

  // Maintenance windows (the plan's `update.windows`): outside them, wait for the next one or skip, per the plan.
  for (let gate = updateWindowGate(plan.update?.maintenance, Date.now()); !input.options?.dryRun;) {
    if (gate.action === 'proceed') break;
    if (gate.action === 'skip') {
      log.info('update skipped', { plan: plan.name, reason: gate.reason });
      return {
        plan: plan.name,
        updateWorkflowId: workflowId,
        outcome: 'skipped',
        reason: gate.reason,
        changes: [],
        batches: [],
        services: [],
      };
    }
    log.info('update waits for its maintenance window', { plan: plan.name, reason: gate.reason });
    await sleep(gate.waitMs);
    gate = updateWindowGate(plan.update?.maintenance, Date.now());
  }

  const stack = getExternalWorkflowHandle(stackWorkflowId(plan.name));
  for (let ask = 1; ; ask++) {
    report = undefined;
    try {
      await stack.signal(requestUpdateSignal, {
        updateWorkflowId: workflowId,
        updateRunId: runId,
        plan,
        options: input.options ?? {},
      });
    } catch (error) {
      throw ApplicationFailure.nonRetryable(
        `no supervised stack runs for plan ${plan.name} (${stackWorkflowId(plan.name)}): boot it with \`bootwave up\` first (${describeFailure(error)})`,
        'NoStack',
      );
    }
    await condition(() => report !== undefined);
    if (!report!.retryable || ask >= maxAsks) break;
    await sleep(retryAfterMs);
  }
  const final = report!;
  if (final.outcome === 'refused')
    throw ApplicationFailure.create({
      type: 'UpdateRefused',
      message: `update refused: ${final.reason}`,
      nonRetryable: true,
      details: [final],
    });
  if (final.outcome === 'rolled-back' || final.outcome === 'failed')
    throw ApplicationFailure.create({
      type: final.outcome === 'failed' ? 'UpdateFailed' : 'UpdateRolledBack',
      message: `update ${final.outcome === 'failed' ? 'failed, and its rollback did not end healthy' : 'rolled back'}: ${final.reason}`,
      nonRetryable: true,
      details: [final],
    });
  return final;
}
