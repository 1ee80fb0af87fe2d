/** The package's programmatic API: a typed client, the plan loader and the types a boot speaks in. */
export { BootClient, BootControlRefusedError, BootHandle } from './client/boot-client';
export { bootWorkflowId } from './contract/ids';
export type { BootSummary, LiveBootStatus, LiveServiceStatus, StartBootOptions } from './client/boot-client';
export type { BootInput, BootOptions, FailurePolicy, Strategy } from './plan/boot-input';
export type { ResolvedPlan, ServiceSpec, WaveSpec } from './plan/types';
export type { BootPhase, BootStatus, ServicePhase, ServiceStatus } from './contract/status';
