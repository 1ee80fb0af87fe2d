import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { requireTestEnv } from './test-env';

/** A task queue of its own per test, so tests never pick up each other's tasks. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function testClient(): Promise<Client> {
  const connection = await Connection.connect({ address: requireTestEnv('address') });
  return new Client({ connection, namespace: 'default' });
}
