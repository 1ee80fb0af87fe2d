import type { Client } from '@temporalio/client';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { isWorkflowNotFound, type ExecutionState, type WorkflowReader } from './workflow-reader';
import { wireEnums } from './workflow-service-wire';

/** The status reader over the SDK's client: what `BootHandle` and `StackHandle` read with. */
export function sdkWorkflowReader(client: Client): WorkflowReader {
  const converter = client.options.loadedDataConverter;
  return {
    async describe(workflowId, runId) {
      const description = await client.workflow.getHandle(workflowId, runId).describe();
      const pending = description.raw.pendingActivities ?? [];
      return {
        runId: description.runId,
        execution: executionStates[description.status.name] ?? 'running',
        ...(description.closeTime ? { closeTime: description.closeTime } : {}),
        taskQueue: description.taskQueue,
        memo: description.memo ?? {},
        pendingActivities: await Promise.all(
          pending.map(async (activity) => ({
            activityId: activity.activityId ?? '',
            // The details as they were heartbeated: through the payload codec (decrypted), then converted.
            heartbeat: await decodeOptionalSinglePayload(converter, activity.heartbeatDetails?.payloads?.[0]).catch(
              () => undefined,
            ),
          })),
        ),
      };
    },
    async outcome(workflowId, runId) {
      try {
        return { completed: true, result: await client.workflow.result(workflowId, runId) };
      } catch (error) {
        if (isWorkflowNotFound(error)) throw error;
        return { completed: false, why: innermostMessage(error) };
      }
    },
    query(workflowId, runId, name, withinMs) {
      const ask = () => client.workflow.getHandle(workflowId, runId).query(name);
      return withinMs === undefined ? ask() : client.withDeadline(Date.now() + withinMs, ask);
    },
    async lastPolledAt(taskQueue) {
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: wireEnums.taskQueueTypeWorkflow,
      });
      const times = (pollers ?? []).map((poller) => optionalTsToDate(poller.lastAccessTime)?.getTime() ?? 0);
      const newest = Math.max(0, ...times);
      return newest > 0 ? new Date(newest) : undefined;
    },
  };
}

const executionStates: Record<string, ExecutionState> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  CONTINUED_AS_NEW: 'continued-as-new',
};

/** "operator stopped it" from a closed workflow's failure, innermost cause first. */
function innermostMessage(error: unknown): string {
  let inner: unknown = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}
