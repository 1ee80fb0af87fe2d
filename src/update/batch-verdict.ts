/** How one service's new version fared in its batch. */
export interface ServiceOutcome {
  service: string;
  critical: boolean;
  /** Undefined when the new version is healthy through its health window. */
  failure?: string;
}

/**
 * After a batch: `continue` (everything healthy), `rollback-services` (a few non-critical failures within the
 * threshold: only those go back), or `rollback-update` (a critical service failed, or more than the threshold's
 * percent of the batch: every service this update changed goes back, newest first).
 */
export type BatchVerdict =
  | { action: 'continue' }
  | { action: 'rollback-services'; services: string[] }
  | { action: 'rollback-update'; reason: string };

export function batchVerdict(outcomes: readonly ServiceOutcome[], failureThresholdPercent: number): BatchVerdict {
  const failed = outcomes.filter((o) => o.failure !== undefined);
  if (failed.length === 0) return { action: 'continue' };
  const critical = failed.find((o) => o.critical);
  if (critical)
    return { action: 'rollback-update', reason: `critical service ${critical.service} failed: ${critical.failure}` };
  const percent = (100 * failed.length) / outcomes.length;
  if (percent > failureThresholdPercent)
    return {
      action: 'rollback-update',
      reason: `${failed.length} of ${outcomes.length} services of the batch failed (${Math.round(percent)}% > ${failureThresholdPercent}%): ${failed.map((f) => `${f.service}: ${f.failure}`).join('; ')}`,
    };
  return { action: 'rollback-services', services: failed.map((o) => o.service) };
}
