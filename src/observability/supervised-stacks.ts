import type { Client } from '@temporalio/client';
import { stackStatusQuery, stackWorkflowType, type StackStatus } from '../contract/supervision';

/** Every running stack workflow's live state, through a client (what a scrape of any worker reports). */
export function supervisedStacks(client: Client): () => Promise<StackStatus[]> {
  return async () => {
    const stacks: StackStatus[] = [];
    const query = `WorkflowType = '${stackWorkflowType}' AND ExecutionStatus = 'Running'`;
    for await (const execution of client.workflow.list({ query })) {
      try {
        stacks.push(await client.workflow.getHandle(execution.workflowId).query(stackStatusQuery));
      } catch {
        // Ended between the list and the query.
      }
    }
    return stacks;
  };
}
