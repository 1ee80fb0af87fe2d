import type { Client } from '@temporalio/client';
import { runCli } from '../cli/capture-io';
import { waitFor } from './wait-for';

/** The IDs of the updates a schedule started, newest last, as its own record (recent actions) holds them. */
export async function scheduledUpdates(client: Client, id: string): Promise<string[]> {
  return (await client.schedule.getHandle(id).describe()).info.recentActions.map((a) => a.action.workflow.workflowId);
}

/**
 * `bootwave schedule trigger` and the update it started. The command waits 10 s for the server to say; on a loaded
 * machine it may answer "not started yet", and then the schedule's own record names the update once it starts.
 */
export async function triggerUpdate(client: Client, id: string): Promise<string> {
  const known = new Set(await scheduledUpdates(client, id));
  const started = async () => (await scheduledUpdates(client, id)).find((workflowId) => !known.has(workflowId));
  // Right after an update ends, the server's scheduler may still count it as running and skip a trigger (overlap
  // skip): trigger again, as a user would, until one starts.
  return waitFor(
    'a triggered update to start',
    async () => {
      const triggered = await runCli('schedule', 'trigger', id);
      if (triggered.code !== 0) throw new Error(`schedule trigger failed: ${triggered.err}`);
      const said = /^schedule \S+ started update (\S+)$/.exec(triggered.out)?.[1];
      return said ?? (await started());
    },
    180_000,
  );
}
