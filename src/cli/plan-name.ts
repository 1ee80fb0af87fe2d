import { existsSync } from 'node:fs';
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
