import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { queryNames } from './query-names';
import type { BootControlState, BootStatus, ServicePhase, ServiceStatus } from './status';

/** Live state of a boot: waves and every service, as the waves last reported them. */
export const bootStatusQuery = defineQuery<BootStatus>(queryNames.bootStatus);
/** Live state of one wave's services. */
export const waveStatusQuery = defineQuery<{ wave: string; services: ServiceStatus[] }>(queryNames.waveStatus);

/**
 * Controls that answer: validated (a finished or rolling-back boot refuses them), and the answer is the boot's
 * state after the change. The signals below do the same without an answer and stay for older clients.
 */
export const pauseUpdate = defineUpdate<BootControlState>('pauseBoot');
export const resumeUpdate = defineUpdate<BootControlState>('resumeBoot');
export const cancelUpdate = defineUpdate<BootControlState, [reason: string]>('cancelBoot');

/** Stop starting services, then apply the failure policy. */
export const cancelSignal = defineSignal<[reason?: string]>('cancel');
/** Hold before starting more services (before the next wave with `waves`; before each service with `dag`). */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');

/** Parent → wave: stop starting, cancel what is probing, and return. */
export const abortWaveSignal = defineSignal<[reason: string]>('abortWave');

export interface DependencyUpdate {
  service: string;
  phase: ServicePhase;
}
/** Wave → a later wave (`dag`): services the later wave depends on changed phase. */
export const dependencyUpdateSignal = defineSignal<[updates: DependencyUpdate[]]>('dependencyUpdate');

/**
 * Wave → its boot: updates a later wave could not be signalled with because it had not started yet (the server
 * starts a boot's children in any order). The boot passes them on once that wave has started.
 */
export const relayDependencyUpdateSignal =
  defineSignal<[relay: { workflowId: string; updates: DependencyUpdate[] }]>('relayDependencyUpdate');

/** Wave → its boot: services whose status changed, so the boot's own `status` query is live. */
export const waveProgressSignal = defineSignal<[progress: { wave: number; services: ServiceStatus[] }]>('waveProgress');
