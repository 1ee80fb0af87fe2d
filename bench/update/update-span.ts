import { Client, Connection } from '@temporalio/client';
import type { Ran } from './tools';

/**
 * Where a `bootwave update` command's wall time went, from the update workflow's start time and the stack's report
 * (its `startedAtMs`/`endedAtMs`: the request reaching the stack → the last service done). Same host clock.
 */
export interface UpdateSpans {
  /** Command start → the update workflow started (CLI start-up, plan load, connection). */
  toWorkflowMs: number;
  /** Update workflow started → the stack took the request and began the rollout. */
  toStackMs: number;
  /** The stack's rollout itself. */
  rolloutMs: number;
  /** Rollout done → command exit (the report's way back, the CLI's exit). */
  toExitMs: number;
}

export async function updateSpans(address: string, plan: string, ran: Ran): Promise<UpdateSpans | undefined> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default' });
    const handle = client.workflow.getHandle(`bootwave-update-${plan}`);
    const report = (await handle.result()) as { startedAtMs?: number; endedAtMs?: number };
    const workflowStartedAtMs = (await handle.describe()).startTime.getTime();
    if (report.startedAtMs === undefined || report.endedAtMs === undefined) return undefined;
    return {
      toWorkflowMs: workflowStartedAtMs - ran.startedAtMs,
      toStackMs: report.startedAtMs - workflowStartedAtMs,
      rolloutMs: report.endedAtMs - report.startedAtMs,
      toExitMs: ran.endedAtMs - report.endedAtMs,
    };
  } finally {
    await connection.close();
  }
}
