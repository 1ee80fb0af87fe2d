/**
 * TEST ONLY. A stand-in for the real `updateWorkflow` (src/workflows/update-workflow.ts, built separately), so
 * the schedule tests can run before it exists: it takes the same input, holds as a running update would until
 * signalled, and answers what it was given. Schedules start the workflow by type name, so they cannot tell.
 */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import type { UpdateInput } from '../../src/contract/update';

export const finishStandInUpdate = defineSignal('finishStandInUpdate');

export async function updateWorkflow(input: UpdateInput): Promise<{ plan: string; services: number }> {
  let finished = false;
  setHandler(finishStandInUpdate, () => {
    finished = true;
  });
  await condition(() => finished);
  return { plan: input.plan.name, services: input.plan.services.length };
}
