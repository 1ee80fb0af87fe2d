/**
 * What a driver found for a service before starting it: nothing, or an instance with the definition hash it was
 * started from, whether it still runs, and (when it ended) its exit code and whether it ran in this boot.
 */
export type Found =
  | { kind: 'absent' }
  | { kind: 'running'; specHash: string }
  /** Made but never started: a worker died between creating and starting it. */
  | { kind: 'created'; specHash: string }
  | { kind: 'exited'; specHash: string; exitCode: number; inThisBoot: boolean };

/** What to do about it, with the cause in words (logs, `--dry-run`, tests). */
export type Convergence =
  | { action: 'create'; cause: string }
  | { action: 'reuse'; cause: string }
  | { action: 'start-again'; cause: string }
  | { action: 'keep-completed'; cause: string }
  | { action: 'replace'; cause: string };

/**
 * Observe → decide → act, as Compose converges: the same decision for every driver, so a retried or resumed start
 * finds what an earlier attempt did. A one-shot that completed in this boot is never run again; one that completed
 * in an earlier boot runs again (as `docker compose up` reruns it); anything else that stopped is started again.
 */
export function decideConvergence(wanted: { specHash: string; oneShot: boolean }, found: Found): Convergence {
  if (found.kind === 'absent') return { action: 'create', cause: 'nothing runs for this service' };
  if (found.specHash !== wanted.specHash)
    return { action: 'replace', cause: `its definition changed (${found.specHash} → ${wanted.specHash})` };
  if (found.kind === 'running') return { action: 'reuse', cause: 'it runs with the same definition' };
  if (found.kind === 'created') return { action: 'start-again', cause: 'it was created but never started' };
  if (wanted.oneShot && found.exitCode === 0 && found.inThisBoot)
    return { action: 'keep-completed', cause: 'the one-shot already completed in this boot' };
  return { action: 'start-again', cause: `it exited with code ${found.exitCode}` };
}
