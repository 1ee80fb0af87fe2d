import type { FailurePolicy, Strategy } from '../plan/boot-input';

/** What boots report: the result of each workflow and the answer of their `status` queries. Plain JSON. */

export const ServicePhases = [
  'pending',
  'waiting',
  'starting',
  'probing',
  'healthy',
  'degraded',
  'completed',
  'failed',
  'skipped',
  'stopped',
  'rolled-back',
] as const;
export type ServicePhase = (typeof ServicePhases)[number];

export interface ServiceStatus {
  name: string;
  wave: string;
  critical: boolean;
  phase: ServicePhase;
  /** Dependencies not yet met, while `waiting`. */
  waitingFor?: string[];
  /** While `starting`: the host whose worker has not taken the start yet ("waiting for a worker on pc2"). */
  waitingForHost?: string;
  /** Wall-clock times from the activities (ms since epoch). */
  startedAtMs?: number;
  readyAtMs?: number;
  attempts?: number;
  lastOutput?: string;
  /** How long the last round of its readiness check took: the stack's health shows it until supervision probes. */
  latencyMs?: number;
  /** Why it failed or was skipped. */
  error?: string;
  instance?: string;
  /** True once a start was requested in this boot: a candidate for rollback. */
  startRequested?: boolean;
}

export const WavePhases = ['pending', 'running', 'succeeded', 'degraded', 'failed', 'aborted'] as const;
export type WavePhase = (typeof WavePhases)[number];

export interface WaveResult {
  name: string;
  index: number;
  phase: WavePhase;
  services: ServiceStatus[];
  /** Critical services that failed or were skipped. */
  criticalFailures: string[];
}

export interface WaveView {
  name: string;
  index: number;
  phase: WavePhase;
  workflowId: string;
}

export const BootPhases = [
  'running',
  'rolling-back',
  'succeeded',
  'degraded',
  'failed',
  'rolled-back',
  'halted',
  'cancelled',
] as const;
export type BootPhase = (typeof BootPhases)[number];

export interface BootStatus {
  plan: string;
  bootId: string;
  workflowId: string;
  strategy: Strategy;
  onFailure: FailurePolicy;
  phase: BootPhase;
  paused: boolean;
  cancelRequested: boolean;
  waves: WaveView[];
  /** Every service; live detail of a running wave comes from that wave's own `status` query. */
  services: ServiceStatus[];
  /** Workflow time (ms since epoch). */
  startedAtMs: number;
  finishedAtMs?: number;
  failure?: string;
}

/** What a control Update answers: the boot's state after the change. */
export interface BootControlState {
  phase: BootPhase;
  paused: boolean;
  cancelRequested: boolean;
}

/** Every phase but the two of a boot still at work. */
export const finishedPhases: readonly BootPhase[] = BootPhases.filter(
  (phase) => phase !== 'running' && phase !== 'rolling-back',
);

/** Did not become ready: failed, or skipped because what it requires did not. */
export function isFailedPhase(phase: ServicePhase): boolean {
  return phase === 'failed' || phase === 'skipped';
}

/** Ready to serve, or (a one-shot) done. */
export function isReadyPhase(phase: ServicePhase): boolean {
  return phase === 'healthy' || phase === 'degraded' || phase === 'completed';
}
