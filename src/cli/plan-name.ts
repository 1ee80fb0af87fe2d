import { existsSync, readFileSync } from 'node:fs';
import { isMapping, readsAsCompose } from '../compose/file-kind';
import { namePattern } from '../plan/name-pattern';
import { parsePlanText } from '../plan/parse-plan-text';
import type { CliIo } from './cli-io';

/**
 * A plan's name: from a plan file, or the word itself. The plan loader (and zod with it) is imported only for a file
 * that does not name itself plainly: it is a fifth of the start of a command that is given a plan's name.
 */
export async function planNameOf(target: string, io: CliIo): Promise<string | undefined> {
  if (!existsSync(target)) return target;
  const declared = declaredPlanName(target);
  if (declared !== undefined) return declared;
  const { loadPlanForCli } = await import('./load-plan-for-cli.js');
  return loadPlanForCli(target, undefined, io)?.name;
}

/**
 * The name a bootwave plan file gives itself, read without loading the plan: the commands that take a plan's name
 * (`status`, `cancel`, `health` …) only read or control its boot, and a mistake elsewhere in the file must not hide
 * that boot. Undefined for a Compose file (its project name is derived), a name with variables to substitute or
 * not a plan's name, and a file that does not parse: the loader then decides, and reports what is wrong.
 */
function declaredPlanName(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parsePlanText(text, file);
  if (!parsed.ok || !isMapping(parsed.doc) || readsAsCompose(file, parsed.doc)) return undefined;
  const { name } = parsed.doc;
  return typeof name === 'string' && namePattern.test(name) ? name : undefined;
}
