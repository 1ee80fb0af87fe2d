import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * Every event of a workflow's history exactly as the server stores it (all runs' pages of the latest run),
 * protobuf-encoded: payloads appear in it byte for byte, as anyone with read access to the namespace sees them.
 */
export async function rawHistory(client: Client, workflowId: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId },
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    parts.push(temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse.encode(page).finish());
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return Buffer.concat(parts);
}

/** A workflow's pending activities (with their last heartbeat details), as `describe` shows them, encoded raw. */
export async function rawDescription(client: Client, workflowId: string): Promise<Buffer> {
  const description = await client.workflowService.describeWorkflowExecution({
    namespace: client.options.namespace,
    execution: { workflowId },
  });
  return Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(description).finish());
}

/** The IDs of every workflow that ran on a task queue (boots, waves, stacks, teardowns), from visibility. */
export async function workflowIdsOnQueue(client: Client, taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` }))
    ids.push(execution.workflowId);
  return [...new Set(ids)].sort();
}

/**
 * How `secret` could show in `haystack`: raw, or base64-encoded at any of the 3 byte alignments it can start at
 * inside a longer encoded value (only the characters that depend on the secret's bytes alone are searched).
 * Returns the forms found; empty when none.
 */
export function secretForms(haystack: Buffer, secret: string): string[] {
  const value = Buffer.from(secret);
  const text = haystack.toString('latin1');
  const found: string[] = [];
  if (haystack.includes(value)) found.push('raw');
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), value]).toString('base64');
    const start = [0, 2, 3][offset]!;
    const end = Math.floor((offset + value.length) / 3) * 4;
    const needle = encoded.slice(start, end);
    const urlSafe = needle.replace(/\+/g, '-').replace(/\//g, '_');
    if (text.includes(needle) || text.includes(urlSafe)) found.push(`base64 at alignment ${offset}`);
  }
  return found;
}
