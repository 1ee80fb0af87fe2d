import { defaultSupervision } from '../../src/plan/defaults';
import type { SupervisionSpec } from '../../src/plan/types';
import { backoffDelayMs } from '../../src/supervision/backoff';
import { decideRestart, type Failure, type RestartDecision } from '../../src/supervision/restart-decision';
import type { RestartOwner } from '../../src/supervision/supervision-of';

const spec = (patch: Partial<SupervisionSpec> = {}): SupervisionSpec => ({
  ...defaultSupervision,
  backoff: { initialMs: 100, maxMs: 1000, factor: 2 },
  startLimitBurst: 3,
  startLimitIntervalMs: 10_000,
  ...patch,
});
const killed: Failure = { kind: 'exited', atMs: 0, exitCode: 137, logTail: 'listening on 8080\nKilled' };
const clean: Failure = { kind: 'exited', atMs: 0, exitCode: 0, logTail: '' };
const unhealthy: Failure = { kind: 'unhealthy', atMs: 0, reason: 'HTTP 503' };
const now = 100_000;

describe('decideRestart', () => {
  it.each<[string, SupervisionSpec, RestartOwner, Failure, number[], RestartDecision]>([
    [
      'restart: no leaves it',
      spec({ restart: 'no' }),
      'bootwave',
      killed,
      [],
      { action: 'leave', cause: 'restart: no' },
    ],
    [
      'on-failure restarts a kill -9 at the initial backoff',
      spec(),
      'bootwave',
      killed,
      [],
      { action: 'restart', delayMs: 100, cause: 'last exit 137: listening on 8080 | Killed (restart: on-failure)' },
    ],
    [
      'on-failure leaves a clean exit',
      spec(),
      'bootwave',
      clean,
      [],
      { action: 'leave', cause: 'exited 0 (restart: on-failure)' },
    ],
    [
      'always restarts a clean exit',
      spec({ restart: 'always' }),
      'bootwave',
      clean,
      [],
      { action: 'restart', delayMs: 100, cause: 'last exit 0 (restart: always)' },
    ],
    [
      'unless-stopped restarts an unhealthy service',
      spec({ restart: 'unless-stopped' }),
      'bootwave',
      unhealthy,
      [],
      { action: 'restart', delayMs: 100, cause: 'last: unhealthy: HTTP 503 (restart: unless-stopped)' },
    ],
    [
      'backoff doubles with each recent restart',
      spec(),
      'bootwave',
      killed,
      [now - 3000, now - 2000],
      { action: 'restart', delayMs: 400, cause: 'last exit 137: listening on 8080 | Killed (restart: on-failure)' },
    ],
    [
      'restarts older than the interval no longer count',
      spec(),
      'bootwave',
      killed,
      [now - 30_000, now - 20_000, now - 10_000],
      { action: 'restart', delayMs: 100, cause: 'last exit 137: listening on 8080 | Killed (restart: on-failure)' },
    ],
    [
      'gives up at the burst within the interval, with exit code and log tail',
      spec(),
      'bootwave',
      { kind: 'exited', atMs: 0, exitCode: 1, logTail: 'a\nb\nc\nError: cannot bind' },
      [now - 9000, now - 5000, now - 1000],
      { action: 'give-up', message: 'crash loop (3 restarts in 10s, last exit 1: b | c | Error: cannot bind)' },
    ],
    [
      'Kubernetes workloads are left to their controllers',
      spec({ restart: 'always' }),
      'kubernetes-controller',
      killed,
      [],
      { action: 'leave', cause: 'restarted by its Kubernetes controller; bootwave only observes' },
    ],
    [
      'containers with their own restart policy are left to the engine',
      spec(),
      'docker-engine',
      killed,
      [],
      { action: 'leave', cause: "restarted by the Docker engine (the container's restart policy)" },
    ],
  ])('%s', (_name, policy, owner, failure, recent, expected) => {
    expect(decideRestart(policy, owner, failure, recent, now)).toEqual(expected);
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [0, 100],
    [1, 200],
    [3, 800],
    [4, 1000],
    [20, 1000],
  ])('attempt %i waits %i ms', (attempt, delay) => {
    expect(backoffDelayMs({ initialMs: 100, maxMs: 1000, factor: 2 }, attempt)).toBe(delay);
  });
});
