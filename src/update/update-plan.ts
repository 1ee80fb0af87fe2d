import { checkPlan } from '../contract/boot-input-schema';
import type { ServiceUpdate, UpdateReport, UpdateRequest } from '../contract/update';
import type { ResolvedPlan } from '../plan/types';
import { planWithout } from '../supervision/plan-without';
import { diffPlans } from './plan-diff';
import { updateBatches } from './update-batches';
import { rolloutMethod } from './update-order';
import { updateSettings } from './update-settings';

/**
 * An update's plan before anything runs: the diff, the batches, each service's method — what `--dry-run` prints
 * and what the rollout then follows. A request with an invalid plan is refused with every problem.
 */
export function planUpdate(running: ResolvedPlan, request: UpdateRequest): UpdateReport {
  const base = {
    plan: running.name,
    updateWorkflowId: request.updateWorkflowId,
    ...(request.updateRunId === undefined ? {} : { updateRunId: request.updateRunId }),
    changes: [],
    batches: [],
    services: [],
  };
  const problems = request.plan ? checkPlan(request.plan) : ['the update has no plan'];
  if (problems.length > 0)
    return { ...base, outcome: 'refused', reason: `invalid plan:${problems.map((p) => `\n- ${p}`).join('')}` };
  const next = request.plan;
  const settings = updateSettings(next, request.options);
  const changes = diffPlans(running, next);
  const batches = updateBatches(changes, running, next, settings);
  const oldSpecs = new Map(running.services.map((s) => [s.name, s]));
  const methods: NonNullable<UpdateReport['methods']> = {};
  for (const service of next.services) {
    const old = oldSpecs.get(service.name);
    const kind = changes.find((c) => c.service === service.name)?.kind;
    if (old && kind === 'changed') methods[service.name] = rolloutMethod(old, service, settings.order);
    if (kind === 'added')
      methods[service.name] = { method: 'start-first', reason: 'a new service: nothing to replace' };
  }
  const services: ServiceUpdate[] = batches.flatMap((batch) =>
    batch.services.map((service) => ({
      service,
      kind: changes.find((c) => c.service === service)!.kind,
      ...(methods[service] ? { method: methods[service].method } : {}),
      phase: 'pending' as const,
      batch: batch.index,
    })),
  );
  return {
    ...base,
    outcome: request.options?.dryRun ? 'dry-run' : 'updated',
    settings,
    changes,
    batches,
    methods,
    services,
  };
}

/**
 * The stack's plan after an update: the new plan, except services that went back to their old definition
 * (rolled back, or whose rollback failed: they keep the old spec, and an added one is left out).
 */
export function planAfter(running: ResolvedPlan, next: ResolvedPlan, reverted: readonly string[]): ResolvedPlan {
  if (reverted.length === 0) return next;
  const old = new Map(running.services.map((s) => [s.name, s]));
  const dropped = reverted.filter((name) => !old.has(name));
  const services = next.services.map((s) => (reverted.includes(s.name) && old.has(s.name) ? old.get(s.name)! : s));
  return planWithout({ ...next, services }, dropped);
}
