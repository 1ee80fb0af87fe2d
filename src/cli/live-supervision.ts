import { existsSync } from 'node:fs';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { BootClient } from '../client/boot-client';
import type { StackStatus } from '../contract/supervision';
import type { CliIo } from './cli-io';
import { loadPlanForCli } from './load-plan-for-cli';

/** A plan's name: from a plan file, or the word itself. */
export function planNameOf(target: string, io: CliIo): string | undefined {
  if (!existsSync(target)) return target;
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
