import { createHash } from 'node:crypto';
import type { UpdateInput } from '../contract/update';
import type { ResolvedPlan, UpdateWindowSettings } from '../plan/types';

/**
 * What a schedule runs: the plan as resolved when the schedule was created or last updated (env substituted,
 * Compose imported), frozen in the schedule's action. Editing the file does not change it; `schedule update` does.
 */
export interface PlanSnapshot {
  plan: string;
  /** The file it was resolved from (absolute path), for people: the worker never re-reads it. */
  source: string;
  services: number;
  /** Short sha256 of the resolved plan: compare two snapshots, or a snapshot with `validate --json`. */
  hash: string;
  /** ISO time the snapshot was taken. */
  takenAt: string;
  /** The plan's maintenance windows, which the update enforces when it starts. */
  update?: UpdateWindowSettings;
}

export function planHash(plan: ResolvedPlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 12);
}

export function snapshotOf(plan: ResolvedPlan, takenAtMs: number): PlanSnapshot {
  return {
    plan: plan.name,
    source: plan.source,
    services: plan.services.length,
    hash: planHash(plan),
    takenAt: new Date(takenAtMs).toISOString(),
    ...(plan.update?.maintenance ? { update: plan.update.maintenance } : {}),
  };
}

/** The snapshot a schedule's action holds, read back from its input and memo (undefined when not bootwave's). */
export function snapshotFromAction(args: readonly unknown[] | undefined, memo: Record<string, unknown> | undefined) {
  const input = args?.[0] as Partial<UpdateInput> | undefined;
  if (!input?.plan || typeof input.plan.name !== 'string') return undefined;
  const takenAt = typeof memo?.snapshotTakenAt === 'string' ? memo.snapshotTakenAt : 'unknown';
  return { ...snapshotOf(input.plan, 0), takenAt };
}
