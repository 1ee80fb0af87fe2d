import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { endSupervisionUpdate, stackWorkflowId } from '../contract/supervision';

/**
 * Ends a plan's supervision through the worker's client and waits until the stack workflow has stopped watching
 * and restarting: `down` must not race a restart. True when a running stack was told; false when none runs.
 */
export async function endSupervision(input: { plan: string; reason: string }): Promise<boolean> {
  const handle = Context.current().client.workflow.getHandle(stackWorkflowId(input.plan));
  try {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return false;
    await handle.executeUpdate(endSupervisionUpdate, { args: [input.reason] });
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
