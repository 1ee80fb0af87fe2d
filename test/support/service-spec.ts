import type { ProbeTiming, ServiceSpec } from '../../src/plan/types';

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

/** Quick watch rounds for activity tests: every 20 ms, 3 failures make unhealthy, 2 passes a recovery. */
export const watchTestTiming: ProbeTiming = {
  intervalMs: 20,
  timeoutMs: 500,
  retries: 3,
  successThreshold: 2,
  startPeriodMs: 0,
  startIntervalMs: 20,
};
