import { importCompose } from '../compose/import-compose';
import { holdsPlan, loadPlanOrCompose } from '../compose/load-any';
import { checkManifests } from '../drivers/kubernetes/check-manifests';
import { connectKube } from '../drivers/kubernetes/kube-client';
import type { BootOptions } from '../plan/boot-input';
import { formatIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';
import type { CliIo } from './cli-io';
import { sourceName, type PlanSource } from './plan-and-profiles';
import { counted } from '../counted';

/** A loaded plan file or Compose file, with the boot options a Compose file's `x-bootwave` sets. */
export interface LoadedBoot {
  plan: ResolvedPlan;
  bootOptions: Partial<BootOptions>;
}

/**
 * What a command that acts on a plan says it left undone when the plan is invalid ("nothing was started"); a
 * command that only reads the plan (`validate`, `graph`, `status`) says nothing of the kind.
 */
export type Untouched = `nothing was ${string}` | `no ${string}`;

/**
 * Loads a plan or Compose file, or Compose files merged, for a command. Warnings (Compose keys bootwave ignores)
 * go to stderr; on errors every issue is printed (no stack trace) and undefined is returned: nothing starts from
 * an invalid plan.
 */
export function loadBootForCli(
  source: PlanSource | string,
  profiles: string[] | undefined,
  io: CliIo,
  untouched?: Untouched,
): LoadedBoot | undefined {
  const from = typeof source === 'string' ? { file: source } : source;
  const options = profiles ? { profiles } : {};
  const result = 'file' in from ? loadPlanOrCompose(from.file, options) : importCompose(from.composeFiles, options);
  const name = sourceName(from);
  for (const warning of result.warnings ?? []) io.err(`warning: ${formatIssue(warning)}`);
  if (result.ok) return { plan: result.plan, bootOptions: result.bootOptions ?? {} };
  for (const issue of result.errors) io.err(formatIssue(issue));
  io.err(problemsLine(result.errors.length, name, untouched));
  // -f reads every file as Compose: a plan given with it fails on its own keys.
  if ('composeFiles' in from)
    for (const file of from.composeFiles.filter(holdsPlan))
      io.err(`hint: ${file} reads as a bootwave plan, not a Compose file: give it without -f`);
  return undefined;
}

export function loadPlanForCli(
  source: PlanSource | string,
  profiles: string[] | undefined,
  io: CliIo,
  untouched?: Untouched,
): ResolvedPlan | undefined {
  return loadBootForCli(source, profiles, io, untouched)?.plan;
}

/**
 * Checks what the plan file points at: every Kubernetes manifest file and document, and with `cluster` their kinds
 * and namespaces against the API server. Prints every problem; false means nothing may start.
 */
export async function checkTargetsForCli(
  plan: ResolvedPlan,
  file: string,
  io: CliIo,
  options: { cluster: boolean; untouched?: Untouched },
): Promise<boolean> {
  const { errors, warnings } = await checkManifests(plan, file, options.cluster ? connectKube : undefined);
  for (const warning of warnings) io.err(`warning: ${formatIssue(warning)}`);
  for (const issue of errors) io.err(formatIssue(issue));
  if (errors.length === 0) return true;
  io.err(problemsLine(errors.length, `the manifests of ${file}`, options.untouched));
  return false;
}

/** `bootwave: 2 problems in plan.yaml; nothing was started`: the last line of every refusal. */
function problemsLine(count: number, where: string, untouched: Untouched | undefined): string {
  return `bootwave: ${counted(count, 'problem')} in ${where}${untouched ? `; ${untouched}` : ''}`;
}
