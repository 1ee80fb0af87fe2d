import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { queryNames } from './query-names';
import type { BootOptions } from '../plan/boot-input';
import type { ResolvedPlan, ServiceSpec, WaveSpec } from '../plan/types';
import type { InstanceSlot } from './activities';
import type { BootPhase, BootStatus } from './status';
import type { UpdateReport } from './update';

/**
 * Supervision of a booted stack (issue 11): what the stack workflow, its watch activities and clients speak in.
 * Plain JSON: the stack's state is carried across continue-as-new and answered to queries.
 */

export { stackWorkflowId } from './ids';

/** Clients find a service's live watch (heartbeat details: latency, counters) by this ID. */
export function watchActivityId(service: string): string {
  return `watch/${service}`;
}

export const stackWorkflowType = 'stackWorkflow';

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
  /** Lazy and not started yet: `bootwave start` starts it. */
  'on-demand',
  /** Lazy and stopped: idle for its `idleTimeout`, or evicted as the least recently used of its group. */
  'idle-stopped',
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
  /**
   * Restarts: those bootwave made (each counted once, when its start was requested) and those it saw the target's
   * own engine make (a container's restart policy).
   */
  restarts: number;
  /** The restart count of the target's own engine when last reported (its restarts beyond it are new ones). */
  engineRestarts?: number;
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
  /** Lazy services: when last started or seen in use (LRU order). */
  lastUsedAtMs?: number;
}

/** What a watch activity reports: a change of state, seen at `atMs` (the activity's clock). */
export type Observation =
  | {
      kind: 'healthy' | 'degraded';
      atMs: number;
      latencyMs?: number;
      output?: string;
      /** How often the target's own engine has restarted it so far (a container's restart policy). */
      engineRestarts?: number;
    }
  | { kind: 'unhealthy'; atMs: number; reason: string; latencyMs?: number }
  | {
      kind: 'exited';
      atMs: number;
      exitCode: number;
      logTail: string;
      /** How often the target's own engine has restarted it so far: it died, and the engine restarted it already. */
      engineRestarts?: number;
    }
  | { kind: 'absent'; atMs: number };

export const BreakerStates = ['closed', 'open', 'half-open'] as const;
export type BreakerStateName = (typeof BreakerStates)[number];

/** One dependency edge's circuit breaker (Cascade §5.3), keyed `dependent->dependency`. */
export interface Breaker {
  state: BreakerStateName;
  /** Failures of the dependency still inside the window. */
  failuresMs: number[];
  openedAtMs?: number;
}

export const StackPhases = ['booting', 'supervising', 'ending', 'ended'] as const;
export type StackPhase = (typeof StackPhases)[number];

/** What a stack run carries into the next (continue-as-new). */
export interface StackCarried {
  bootWorkflowId: string;
  bootId: string;
  bootPhase: BootPhase;
  supervisingSinceMs: number;
  services: SupervisedService[];
  breakers: Record<string, Breaker>;
  /** Runs before this one. */
  runs: number;
  /** Services a start-first update moved to their `green` instance (absent: all `blue`). */
  slots?: Record<string, InstanceSlot>;
}

export interface StackInput {
  plan: ResolvedPlan;
  options?: Partial<BootOptions>;
  /** The boot child's ID; `bootwave-<plan>` by default, so `bootwave status` and boot handles find it. */
  bootWorkflowId?: string;
  /** Continue-as-new once the history reaches this many events (or the server suggests it). */
  maxHistoryEvents?: number;
  /** How long one watch activity runs before it reports "unchanged" and is scheduled again. */
  watchWindowMs?: number;
  carried?: StackCarried;
}

/** The `stackStatus` query's answer and the stack workflow's result. */
export interface StackStatus {
  plan: string;
  workflowId: string;
  phase: StackPhase;
  bootWorkflowId: string;
  bootPhase?: BootPhase;
  /** Why supervision ended (down, or a boot that did not succeed). */
  endReason?: string;
  supervisingSinceMs?: number;
  services: SupervisedService[];
  breakers: Record<string, Breaker>;
  runs: number;
  historyLength: number;
  /** The update under way, else the last one this run made (absent when none). */
  update?: UpdateReport;
}

export type StackWorkflow = (input: StackInput) => Promise<StackStatus>;

export interface WatchServiceInput {
  plan: string;
  bootId: string;
  service: ServiceSpec;
  /** The instance watched, after a start-first update moved the service to `green`. */
  slot?: InstanceSlot;
  /** `up`: report a failure (exit, removal, `retries` failed probes); `down`: report a recovery. */
  expect: 'up' | 'down';
  windowMs: number;
  /** On-demand services: report `idle` after this long without a TCP connection to their ports. */
  idleAfterMs?: number;
}

/** A change of state, or none within the window. */
export type WatchServiceResult =
  | Observation
  | { kind: 'unchanged'; atMs: number; latencyMs?: number }
  | { kind: 'idle'; atMs: number; idleForMs: number };

/** What a watch heartbeats: a retry after a worker crash resumes its counters. */
export interface WatchProgress {
  startedAtMs: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  lastOutput: string;
  latencyMs?: number;
  /** On-demand services: when they were last seen in use (a connection to their ports, or the first round after one). */
  lastActiveAtMs?: number;
  /** On-demand services: whether the last round found a connection to their ports. */
  inUse?: boolean;
  /** The restart count of the target's own engine when last seen: a higher one is a death and restart. */
  engineRestarts?: number;
}

/** One service of a batch: its spec is asked of the stack when the batch starts (it is not repeated in history). */
export interface WatchMember {
  name: string;
  slot?: InstanceSlot;
  expect: 'up' | 'down';
  idleAfterMs?: number;
  /** Its counters as the previous batch left them. */
  progress?: WatchProgress;
}

/** The services of one stack that one worker (task queue) watches, in one activity. */
export interface WatchServicesInput {
  plan: string;
  bootId: string;
  windowMs: number;
  members: WatchMember[];
}

/** A member's change of state, or why it cannot be watched on this worker (no driver for it, say). */
export type WatchChange =
  | { name: string; result: Exclude<WatchServiceResult, { kind: 'unchanged' }>; notWatched?: undefined }
  | { name: string; notWatched: string; result?: undefined };

export interface WatchServicesResult {
  /** Empty when the window ended or the batch was cancelled. */
  changes: WatchChange[];
  /** Every member's counters, for the next batch. */
  progress: Record<string, WatchProgress>;
  windowEnded: boolean;
}

/** The activities supervision adds; workflows import this type only. */
export interface SupervisionActivities {
  watchService(input: WatchServiceInput): Promise<WatchServiceResult>;
  watchServices(input: WatchServicesInput): Promise<WatchServicesResult>;
  /** Ends a plan's supervision (the stack workflow's `endSupervision` update) if any runs; true when one did. */
  endSupervision(input: { plan: string; reason: string }): Promise<boolean>;
  /** Tells the worker's metrics a boot finished (durations, wave deadlines); a no-op when metrics are off. */
  recordBoot(input: { boot: BootStatus; waves: Pick<WaveSpec, 'name' | 'deadlineMs'>[] }): Promise<void>;
}

/** The current specs of the named services: what a batch of watches watches (see `watchServices`). */
export const watchedSpecsQuery = defineQuery<ServiceSpec[], [names: string[]]>('watchedSpecs');
/** The stack's live state. */
export const stackStatusQuery = defineQuery<StackStatus>(queryNames.stackStatus);
/** Restart one service now (an operator's act: clears a crash loop); answered once it is up or failed again. */
export const restartServiceUpdate = defineUpdate<SupervisedService, [service: string]>('restartService');
/** Start an on-demand service with its dependencies (evicting the least recently used of a full group). */
export const startOnDemandUpdate = defineUpdate<SupervisedService, [service: string]>('startOnDemand');
/** Stop supervising (what `down` does first); answered once no watch or restart is left running. */
export const endSupervisionUpdate = defineUpdate<StackStatus, [reason: string]>('endSupervision');
