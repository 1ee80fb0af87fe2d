import type { ServiceSpec } from '../../src/plan/types';

/** A resolved process service for unit tests of activities and decisions: `true`, no check unless given. */
export function processService(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name: 'api',
    wave: 'apps',
    target: { driver: 'process', command: ['true'], env: {}, stopGraceMs: 100 },
    dependsOn: [],
    critical: true,
    oneShot: false,
    startTimeoutMs: 2000,
    expectedStartMs: 100,
    profiles: [],
    ...overrides,
  };
}
