import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BootStatus, ServicePhase, ServiceStatus } from './status';

/** Live state of a boot (waves and every service known so far). */
export const bootStatusQuery = defineQuery<BootStatus>('status');
/** Live state of one wave's services. */
export const waveStatusQuery = defineQuery<{ wave: string; services: ServiceStatus[] }>('waveStatus');

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
