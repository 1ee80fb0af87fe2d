import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { StackHandle } from '../client/stack-handle';
import { stackWorkflowId, type StackWorkflow } from '../contract/supervision';

/**
 * Ends a plan's supervision through the worker's client and waits until the stack workflow has stopped watching
 * and restarting: `down` must not race a restart. True when a running stack was told; false when none runs.
 */
export async function endSupervision(input: { plan: string; reason: string }): Promise<boolean> {
  const { client } = Context.current();
  const handle = client.workflow.getHandle<StackWorkflow>(stackWorkflowId(input.plan));
  try {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') return false;
    await new StackHandle(client, handle).end(input.reason);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
