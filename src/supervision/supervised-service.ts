/** What the stack workflow knows of each service after the boot. Plain JSON: carried across continue-as-new. */

export const SupervisedPhases = [
  /** Running and passing its check (or running, for a service without one). */
  'healthy',
  'degraded',
  /** Running but failing its check `retries` times in a row. */
  'unhealthy',
  /** Down (exited, killed, removed); a restart may be due. */
  'down',
  /** A restart is scheduled (backoff) or under way. */
  'restarting',
  /** Gave up: too many restarts within the start-limit interval; waits for an operator's restart. */
  'crash-loop',
  /** Stopped by bootwave because a `requires` dependency went down (`onDependencyFailure: stop`). */
  'stopped',
  /** A one-shot that exited 0: nothing to supervise. */
  'completed',
  /** Never became ready in the boot: not supervised until an operator restarts it. */
  'failed',
] as const;
export type SupervisedPhase = (typeof SupervisedPhases)[number];

/** Phases in which a service serves its dependents. */
export const upPhases: readonly SupervisedPhase[] = ['healthy', 'degraded', 'completed'];

export interface ExitInfo {
  /** -1 when killed by a signal the driver could not name, or when it disappeared. */
  exitCode: number;
  logTail: string;
}

export interface SupervisedService {
  name: string;
  critical: boolean;
  phase: SupervisedPhase;
  /** Workflow time the current phase began (ms since epoch): "unhealthy since T". */
  sinceMs: number;
  /** When it last became healthy after being down or started (uptime). */
  upSinceMs?: number;
  /** Restarts bootwave made (each counted once, when its start was requested). */
  restarts: number;
  /** Times of the restarts still inside the start-limit interval (crash-loop detection). */
  recentRestartsMs: number[];
  lastExit?: ExitInfo;
  /** Why it is in this phase: the crash-loop message, an unhealthy probe's output, a policy's cause. */
  message?: string;
  /** `requires` dependencies that are not up. */
  blockedBy: string[];
  /** Restart (or start, if stopped) once `blockedBy` empties: set when a dependency went down under `restart`/`stop`. */
  restartWhenUnblocked?: boolean;
  /** The last probe's latency, from the latest observation. */
  latencyMs?: number;
  /** When a scheduled restart is due (workflow time). */
  restartAtMs?: number;
}

/** What a watch activity reports: a change of state, seen at `atMs` (the activity's clock). */
export type Observation =
  | { kind: 'healthy' | 'degraded'; atMs: number; latencyMs?: number; output?: string }
  | { kind: 'unhealthy'; atMs: number; reason: string; latencyMs?: number }
  | { kind: 'exited'; atMs: number; exitCode: number; logTail: string }
  | { kind: 'absent'; atMs: number };
