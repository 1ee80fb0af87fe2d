import type { PlanIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';

/** Variable names that usually hold a secret; `*_FILE` names hold the path of one (`MYSQL_PASSWORD_FILE`). */
const secretName = /PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|CREDENTIAL|(^|_)(API_?|PRIVATE_?|ACCESS_?)?KEY$/i;
const pathName = /_FILE$/i;

/**
 * Warnings for environment variables whose name looks like a secret's and whose value is written in the plan (or
 * substituted into it from `${VAR}`): the value is part of the boot's input, so anyone who reads the namespace's
 * histories (the Web UI) reads it. Each names the variable and how to keep the value out, never the value. For a
 * plan imported from Compose, `composePathOf` gives the key the user wrote, and the advice is Compose's own way.
 */
export function plainSecretWarnings(
  plan: ResolvedPlan,
  file: string,
  composePathOf?: (planPath: string) => string,
): PlanIssue[] {
  const warnings: PlanIssue[] = [];
  for (const service of plan.services) {
    const target = service.target;
    if (target.driver === 'kubernetes') continue;
    for (const [name, value] of Object.entries(target.env)) {
      if (!secretName.test(name) || pathName.test(name) || value === '') continue;
      const path = `services.${service.name}.${target.driver}.env.${name}`;
      const instead = composePathOf
        ? 'declare it as a Compose secret instead (`secrets:` with `environment:` or `file:`; the container reads /run/secrets/<name>, e.g. through a *_FILE variable)'
        : `name where the worker reads it instead, e.g. { secret: { env: ${name} } }`;
      warnings.push({
        file,
        path: composePathOf ? composePathOf(path) : path,
        message: `looks like a secret, and its value is recorded in the boot's history (readable in the Web UI); ${instead} (docs/security.md)`,
      });
    }
    // Build arguments are plan input too, and end up in the image's history as well.
    for (const [name, value] of Object.entries(target.driver === 'docker' ? (target.build?.args ?? {}) : {})) {
      if (!secretName.test(name) || value === '') continue;
      const path = `services.${service.name}.docker.build.args`;
      warnings.push({
        file,
        path: `${composePathOf ? composePathOf(path) : path}.${name}`,
        message:
          "looks like a secret, and its value is recorded in the boot's history and the image's layers; pass it to the build another way (docs/security.md)",
      });
    }
  }
  return warnings;
}
