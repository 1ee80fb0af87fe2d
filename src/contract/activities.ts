import type { ServiceSpec } from '../plan/types';

/** Identifies a service within a boot; every activity input carries it. */
export interface ServiceActivityInput {
  plan: string;
  bootId: string;
  service: ServiceSpec;
  /** Waves (workflow IDs) waiting for this service: told directly when it starts and when it is ready. */
  notify?: string[];
  /** Which of the service's two instances (see `InstanceSlot`); absent: `blue` (stop: both). */
  slot?: InstanceSlot;
}

export interface StartServiceInput extends ServiceActivityInput {
  /**
   * Asks the start to settle readiness itself when there is nothing to wait for: no check, not a one-shot, and a
   * driver with no readiness of its own. Such a service is ready at its first look at it running, so the start
   * looks, and tells these waves it is healthy instead of telling `notify` it is probing; the boot then needs no
   * `awaitReady`. Absent in boots recorded before it existed.
   */
  readyIfRunning?: { notify: string[] };
}

export const InstanceSlots = ['blue', 'green'] as const;
/**
 * A service has up to two instances at once only while a start-first update runs: the new version starts in the
 * slot the old one does not use and stays there. `blue` is the one every boot uses.
 */
export type InstanceSlot = (typeof InstanceSlots)[number];

export function otherSlot(slot: InstanceSlot | undefined): InstanceSlot {
  return slot === 'green' ? 'blue' : 'green';
}

export interface StartServiceResult {
  instance: string;
  /** False when this attempt found what an earlier attempt or boot had started. */
  created: boolean;
  ownerBootId: string;
  /** Wall-clock time the driver's start returned (ms since epoch); bench and status use activity clocks, not workflow time. */
  startedAtMs: number;
  /** The waves that were told: of `notify` that it is probing, or of `readyIfRunning` that it is healthy. */
  notified?: string[];
  /** Present when the start settled readiness itself (`readyIfRunning`). */
  ready?: AwaitReadyResult;
}

export const ReadyOutcomes = ['healthy', 'degraded', 'completed'] as const;
/** `degraded`: a non-critical stage failed; `completed`: a one-shot exited 0. */
export type ReadyOutcome = (typeof ReadyOutcomes)[number];

export interface AwaitReadyResult {
  outcome: ReadyOutcome;
  /** Probe rounds, across worker crashes (resumed from heartbeat details). */
  attempts: number;
  lastOutput: string;
  /** Time from the first attempt's start to ready, across retries. */
  durationMs: number;
  /** Wall-clock time readiness was observed (ms since epoch). */
  readyAtMs: number;
  /** How long the last round of the service's own check took, when it has one. */
  latencyMs?: number;
  /** The waves of `notify` that were told the outcome. */
  notified?: string[];
}

/**
 * What `awaitReady` heartbeats; a retried attempt (after a worker crash) resumes from it,
 * and clients read it from the pending activity to show "probing stage k of n".
 */
export interface ProbeProgress {
  startedAtMs: number;
  attempts: number;
  /** Index of the stage being probed (staged checks), else 0. */
  stage: number;
  stages: number;
  stageName?: string;
  stageStartedAtMs: number;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  lastOutput: string;
  /** Non-critical stages that failed so far. */
  degraded: string[];
}

export interface PrepareServiceResult {
  /** True when it made something (a created container) that a rollback must remove, even if it never starts. */
  prepared: boolean;
}

export interface StopServiceInput extends ServiceActivityInput {
  /** Only stop when the running instance was created by this boot (rollback must not stop others' services). */
  onlyIfOwnedBy?: string;
}

export interface StopServiceResult {
  stopped: boolean;
}

/** Starts a wave released together, as one activity (`start-batches.ts`). */
export interface StartServicesInput {
  starts: StartServiceInput[];
}

/** Per start, in order: what `startService` returned, or why it failed (the wave then starts that one alone). */
export type StartServicesResult = Array<{ started: StartServiceResult } | { failed: string }>;

/** The activities a boot uses; workflows import this type only. */
export interface BootActivities {
  startService(input: StartServiceInput): Promise<StartServiceResult>;
  startServices(input: StartServicesInput): Promise<StartServicesResult>;
  /** Creates what `startService` will start, while the service waits for its dependencies (see `Driver.prepare`). */
  prepareService(input: ServiceActivityInput): Promise<PrepareServiceResult>;
  awaitReady(input: ServiceActivityInput): Promise<AwaitReadyResult>;
  stopService(input: StopServiceInput): Promise<StopServiceResult>;
}
