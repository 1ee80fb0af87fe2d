import { defaultSupervision } from '../../src/plan/defaults';
import type { SupervisionSpec } from '../../src/plan/types';
import { applyObservation, recordRestart } from '../../src/supervision/apply-observation';
import type { Observation, SupervisedService } from '../../src/contract/supervision';
import { failureObservation } from '../../src/supervision/failure-observation';

const spec: SupervisionSpec = {
  ...defaultSupervision,
  backoff: { initialMs: 100, maxMs: 1000, factor: 2 },
  startLimitBurst: 2,
  startLimitIntervalMs: 10_000,
};
const healthy: SupervisedService = {
  name: 'api',
  critical: true,
  phase: 'healthy',
  sinceMs: 1000,
  upSinceMs: 1000,
  restarts: 0,
  recentRestartsMs: [],
  blockedBy: [],
};
const killed: Observation = { kind: 'exited', atMs: 0, exitCode: 137, logTail: 'Killed' };

describe('applyObservation', () => {
  it('a kill -9 schedules a restart after the backoff', () => {
    const { state, decision } = applyObservation(healthy, killed, spec, 'bootwave', 5000);
    expect(decision).toEqual({ action: 'restart', delayMs: 100, cause: 'last exit 137: Killed (restart: on-failure)' });
    expect(state).toEqual({
      ...healthy,
      phase: 'restarting',
      sinceMs: 5000,
      upSinceMs: undefined,
      restartAtMs: 5100,
      lastExit: { exitCode: 137, logTail: 'Killed' },
      message: 'last exit 137: Killed (restart: on-failure)',
    });
  });

  it('counts a restart once, and gives up once the burst is used within the interval', () => {
    let state = recordRestart(applyObservation(healthy, killed, spec, 'bootwave', 5000).state, spec, 5100);
    expect(state).toMatchObject({ restarts: 1, recentRestartsMs: [5100], phase: 'restarting' });
    state = applyObservation(state, { kind: 'healthy', atMs: 0, latencyMs: 4 }, spec, 'bootwave', 6000).state;
    expect(state).toMatchObject({ phase: 'healthy', sinceMs: 6000, upSinceMs: 6000, latencyMs: 4, restarts: 1 });
    state = recordRestart(applyObservation(state, killed, spec, 'bootwave', 7000).state, spec, 7200);
    const exit1: Observation = { kind: 'exited', atMs: 0, exitCode: 1, logTail: 'boom' };
    const outcome = applyObservation(state, exit1, spec, 'bootwave', 8000);
    expect(outcome.decision).toEqual({
      action: 'give-up',
      message: 'crash loop (2 restarts in 10s, last exit 1: boom)',
    });
    expect(outcome.state).toMatchObject({
      phase: 'crash-loop',
      restarts: 2,
      message: 'crash loop (2 restarts in 10s, last exit 1: boom)',
    });
  });

  it('restart: no leaves an unhealthy service unhealthy since it first failed', () => {
    const policy = { ...spec, restart: 'no' as const };
    const first = applyObservation(
      healthy,
      { kind: 'unhealthy', atMs: 0, reason: 'HTTP 503' },
      policy,
      'bootwave',
      2000,
    );
    expect(first.state).toMatchObject({ phase: 'unhealthy', sinceMs: 2000, message: 'HTTP 503; restart: no' });
    const again = applyObservation(
      first.state,
      { kind: 'unhealthy', atMs: 0, reason: 'timeout' },
      policy,
      'bootwave',
      3000,
    );
    expect(again.state).toMatchObject({ phase: 'unhealthy', sinceMs: 2000, message: 'timeout; restart: no' });
  });
});

describe('failureObservation', () => {
  it.each<[string, Observation]>([
    [
      'service api exited with code 3: listening | Error: boom',
      { kind: 'exited', atMs: 1, exitCode: 3, logTail: 'listening | Error: boom' },
    ],
    ['service api exited with code -1', { kind: 'exited', atMs: 1, exitCode: -1, logTail: '' }],
    [
      'service api not healthy after 5000 ms: HTTP 503',
      { kind: 'unhealthy', atMs: 1, reason: 'service api not healthy after 5000 ms: HTTP 503' },
    ],
  ])('%s', (message, expected) => {
    expect(failureObservation(message, 1)).toEqual(expected);
  });

  it("restarts the Docker engine made (the container's restart policy) are counted once each, never repeated", () => {
    const restartedByEngine: Observation = { ...killed, logTail: '', engineRestarts: 1 };
    const { state, decision } = applyObservation(healthy, restartedByEngine, spec, 'docker-engine', 5000);
    expect(decision).toEqual({
      action: 'leave',
      cause: "restarted by the Docker engine (the container's restart policy)",
    });
    expect(state).toMatchObject({
      phase: 'down',
      restarts: 1,
      engineRestarts: 1,
      recentRestartsMs: [],
      lastExit: { exitCode: 137, logTail: '' },
      message: "exited with code 137; restarted by the Docker engine (the container's restart policy)",
    });
    // Up again, seen with the same count: nothing new. A death seen between two restarts (no count yet), then up
    // with count 3: two more.
    const up = applyObservation(state, { kind: 'healthy', atMs: 0, engineRestarts: 1 }, spec, 'docker-engine', 6000);
    expect(up.state).toMatchObject({ phase: 'healthy', restarts: 1 });
    const down = applyObservation(up.state, killed, spec, 'docker-engine', 7000);
    expect(down.state).toMatchObject({ phase: 'down', restarts: 1 });
    const again = applyObservation(
      down.state,
      { kind: 'healthy', atMs: 0, engineRestarts: 3 },
      spec,
      'docker-engine',
      8000,
    );
    expect(again.state).toMatchObject({ phase: 'healthy', restarts: 3, engineRestarts: 3 });
    // bootwave's own restart (an operator's) replaces the container: its count starts again.
    expect(recordRestart(again.state, spec, 9000)).toMatchObject({ restarts: 4, engineRestarts: undefined });
  });
});
