import { loadPlan } from '../plan/load-plan';
import { formatIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';
import type { CliIo } from './cli-io';

/** Loads a plan for a command, or prints every issue (no stack trace) and returns undefined: nothing starts. */
export function loadPlanForCli(file: string, profiles: string[] | undefined, io: CliIo): ResolvedPlan | undefined {
  const result = loadPlan(file, profiles ? { profiles } : {});
  if (result.ok) return result.plan;
  for (const issue of result.errors) io.err(formatIssue(issue));
  io.err(`bootwave: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} in ${file}; nothing was started`);
  return undefined;
}
