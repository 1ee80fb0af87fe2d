import { existsSync } from 'node:fs';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { BootClient } from '../client/boot-client';
import type { StackStatus } from '../contract/supervision';
import type { CliIo } from './cli-io';

/**
 * A plan's name: from a plan file, or the word itself. The plan loader (and zod with it) is imported only for a
 * file: it is a fifth of the start of a command that is given a plan's name.
 */
export async function planNameOf(target: string, io: CliIo): Promise<string | undefined> {
  if (!existsSync(target)) return target;
  const { loadPlanForCli } = await import('./load-plan-for-cli.js');
  return loadPlanForCli(target, undefined, io)?.name;
}

/** The plan's stack as it is now, or undefined when the plan was never `up` supervised on this server. */
export async function liveSupervision(client: BootClient, planName: string): Promise<StackStatus | undefined> {
  try {
    return await client.stack(planName).status();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}
