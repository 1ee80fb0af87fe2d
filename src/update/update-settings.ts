import type { BatchSize, ResolvedPlan, UpdateOrder, UpdatePolicy } from '../plan/types';

/** An update's settings, every field decided: the command's flags over the plan's `update:` over these defaults. */
export interface UpdateSettings {
  batchSize: BatchSize;
  observeMs: number;
  pauseMs: number;
  failureThresholdPercent: number;
  order: UpdateOrder;
}

/**
 * One service at a time, watched 10 s after it is ready, and any failure rolls the whole update back: the safest
 * defaults; a plan that wants speed says so in `update:`.
 */
export const defaultUpdateSettings: UpdateSettings = {
  batchSize: { count: 1 },
  observeMs: 10_000,
  pauseMs: 0,
  failureThresholdPercent: 0,
  order: 'auto',
};

export function updateSettings(plan: ResolvedPlan, overrides: UpdatePolicy = {}): UpdateSettings {
  return { ...defaultUpdateSettings, ...definedOnly(plan.update ?? {}), ...definedOnly(overrides) };
}

const policyKeys: readonly (keyof UpdatePolicy)[] = [
  'batchSize',
  'observeMs',
  'pauseMs',
  'failureThresholdPercent',
  'order',
];

/** The policy's own fields that are set: other keys (a boot input's options, say) are no settings of an update. */
function definedOnly(policy: UpdatePolicy): UpdatePolicy {
  return Object.fromEntries(
    policyKeys.filter((key) => policy[key] !== undefined).map((key) => [key, policy[key]]),
  ) as UpdatePolicy;
}

/** How many services a batch takes out of `total` changed ones in a wave. */
export function batchCount(size: BatchSize, total: number): number {
  if ('count' in size) return Math.max(1, size.count);
  return Math.max(1, Math.ceil((size.percent * total) / 100));
}
