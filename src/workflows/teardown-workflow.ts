import { ApplicationFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import { checkPlan } from '../contract/boot-input-schema';
import type { BootActivities } from '../contract/activities';
import type { SupervisionActivities } from '../contract/supervision';
import type { TeardownResult } from '../contract/workflows';
import type { ResolvedPlan } from '../plan/types';
import { stopOptions } from './activity-options';
import { describeFailure } from './failure-message';
import { stopBackwards } from './stop-backwards';

/**
 * `bootwave down`: stops every service of a plan in reverse dependency order, whoever started it; what that order
 * leaves independent stops at the same time (`stop-backwards.ts`).
 */
export async function teardownWorkflow(plan: ResolvedPlan): Promise<TeardownResult> {
  const problems = checkPlan(plan);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(`invalid plan:${problems.map((p) => `\n- ${p}`).join('')}`, 'PlanError');
  }
  const result: TeardownResult = { stopped: [], absent: [], failed: [] };
  // Supervision ends before anything stops: its watches would take the stops for crashes and restart them.
  if (patched('end-supervision-before-down')) {
    const { endSupervision } = proxyActivities<SupervisionActivities>({ startToCloseTimeout: '5m' });
    result.supervisionEnded = await endSupervision({ plan: plan.name, reason: 'down' });
  }
  const stop = async (service: ResolvedPlan['services'][number]) => {
    try {
      const { stopService } = proxyActivities<BootActivities>({
        ...stopOptions(service),
        summary: `stop ${service.name}`,
      });
      const { stopped } = await stopService({ plan: plan.name, bootId: '', service });
      (stopped ? result.stopped : result.absent).push(service.name);
    } catch (error) {
      result.failed.push({ service: service.name, error: describeFailure(error) });
      log.error('stop failed', { service: service.name, error: describeFailure(error) });
    }
  };
  // Teardowns recorded before it stopped one service at a time, in reverse plan order.
  if (patched('stop-backwards-in-parallel')) {
    const waveIndex = new Map(plan.waves.map((wave) => [wave.name, wave.index]));
    await stopBackwards(plan.services, (wave) => waveIndex.get(wave) ?? 0, stop);
    // Reported in reverse plan order, as one by one did, whichever stop ended first.
    const position = new Map(plan.services.map((service, index) => [service.name, -index]));
    const byPosition = (a: string, b: string) => position.get(a)! - position.get(b)!;
    result.stopped.sort(byPosition);
    result.absent.sort(byPosition);
    result.failed.sort((a, b) => byPosition(a.service, b.service));
  } else {
    for (const service of [...plan.services].reverse()) await stop(service);
  }
  return result;
}
