import { Context } from '@temporalio/activity';
import { dependencyUpdateSignal, type DependencyUpdate } from '../contract/messages';

/**
 * Tells waiting waves (workflow IDs) that a service changed phase and returns the IDs that were told.
 * Sent from the activity that saw the change, the moment it saw it: a dependent in another wave then starts one
 * signal after its dependency is ready, instead of after a workflow task of the dependency's wave and the
 * server's transfer of a workflow-sent signal. The wave still signals whoever was not told here.
 */
export type NotifyDependents = (workflowIds: string[], update: DependencyUpdate) => Promise<string[]>;

/** Signals through the worker's own client. A wave that has ended cannot be signalled and is left out. */
export const notifyWithWorkerClient: NotifyDependents = async (workflowIds, update) => {
  if (workflowIds.length === 0) return [];
  const { client } = Context.current();
  const sent = await Promise.all(
    workflowIds.map((workflowId) =>
      client.workflow
        .getHandle(workflowId)
        .signal(dependencyUpdateSignal, [update])
        .then(
          () => workflowId,
          () => undefined,
        ),
    ),
  );
  return sent.filter((id): id is string => id !== undefined);
};
