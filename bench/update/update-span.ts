import { Client, Connection } from '@temporalio/client';

/**
 * The stack's own account of an update: `startedAtMs`/`endedAtMs` of the report the update workflow returns (the
 * stack workflow's clock: from the request reaching the stack to the last service done). The rest of the
 * command's wall time is the CLI (start-up, plan load, connection) and the workflows' hand-offs.
 */
export async function rolloutSpanMs(address: string, plan: string): Promise<number | undefined> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default' });
    const report = (await client.workflow.getHandle(`bootwave-update-${plan}`).result()) as {
      startedAtMs?: number;
      endedAtMs?: number;
    };
    return report.startedAtMs !== undefined && report.endedAtMs !== undefined
      ? report.endedAtMs - report.startedAtMs
      : undefined;
  } finally {
    await connection.close();
  }
}
