import type { PlanIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';

/** Variable names that usually hold a secret. */
const secretName = /PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|CREDENTIAL|(^|_)(API_?|PRIVATE_?|ACCESS_?)?KEY$/i;

/**
 * Warnings for environment variables whose name looks like a secret's and whose value is written in the plan (or
 * substituted into it from `${VAR}`): the value is part of the boot's input, so anyone who reads the namespace's
 * histories (the Web UI) reads it. Each names the variable and how to keep the value out, never the value.
 */
export function plainSecretWarnings(plan: ResolvedPlan, file: string): PlanIssue[] {
  const warnings: PlanIssue[] = [];
  for (const service of plan.services) {
    const target = service.target;
    if (target.driver === 'kubernetes') continue;
    for (const [name, value] of Object.entries(target.env)) {
      if (!secretName.test(name) || value === '') continue;
      warnings.push({
        file,
        path: `services.${service.name}.${target.driver}.env.${name}`,
        message: `looks like a secret, and its value is recorded in the boot's history (readable in the Web UI); name where the worker reads it instead, e.g. { secret: { env: ${name} } } (docs/security.md)`,
      });
    }
  }
  return warnings;
}
