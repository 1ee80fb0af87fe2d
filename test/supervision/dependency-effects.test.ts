import type { DependencyFailureAction, ServiceSpec } from '../../src/plan/types';
import { defaultSupervision } from '../../src/plan/defaults';
import type { Breaker } from '../../src/contract/supervision';
import { dependencyEffects, type DependencyEffects } from '../../src/supervision/dependency-effects';
import type { SupervisedPhase, SupervisedService } from '../../src/contract/supervision';

const spec = (name: string, requires: string[], policy: DependencyFailureAction = 'restart'): ServiceSpec => ({
  name,
  wave: 'w',
  target: { driver: 'process', command: [name], env: {}, stopGraceMs: 1000 },
  dependsOn: requires.map((service) => ({ service, kind: 'requires', condition: 'healthy' })),
  critical: true,
  oneShot: false,
  startTimeoutMs: 1000,
  expectedStartMs: 100,
  profiles: [],
  supervision: { ...defaultSupervision, onDependencyFailure: policy },
});
const state = (name: string, phase: SupervisedPhase, patch: Partial<SupervisedService> = {}): SupervisedService => ({
  name,
  critical: true,
  phase,
  sinceMs: 0,
  restarts: 0,
  recentRestartsMs: [],
  blockedBy: [],
  ...patch,
});
const stack = (...services: SupervisedService[]) => Object.fromEntries(services.map((s) => [s.name, s]));

describe('dependencyEffects', () => {
  it.each<[string, ServiceSpec[], Record<string, SupervisedService>, Record<string, Breaker>, DependencyEffects]>([
    [
      'all up: nothing',
      [spec('db', []), spec('api', ['db'])],
      stack(state('db', 'healthy'), state('api', 'healthy')),
      {},
      { changes: {}, actions: [] },
    ],
    [
      'restart: the dependent is blocked and marked, left running',
      [spec('db', []), spec('api', ['db'])],
      stack(state('db', 'restarting'), state('api', 'healthy')),
      {},
      { changes: { api: { blockedBy: ['db'], restartWhenUnblocked: true } }, actions: [] },
    ],
    [
      'stop: the dependent is stopped at once',
      [spec('db', []), spec('api', ['db'], 'stop')],
      stack(state('db', 'down'), state('api', 'healthy')),
      {},
      {
        changes: { api: { blockedBy: ['db'], restartWhenUnblocked: true } },
        actions: [{ service: 'api', action: 'stop', cause: 'blocked by db' }],
      },
    ],
    [
      'ignore: only shown blocked',
      [spec('db', []), spec('api', ['db'], 'ignore')],
      stack(state('db', 'crash-loop'), state('api', 'healthy')),
      {},
      { changes: { api: { blockedBy: ['db'], restartWhenUnblocked: undefined } }, actions: [] },
    ],
    [
      'recovered: a marked dependent is restarted',
      [spec('db', []), spec('api', ['db'])],
      stack(state('db', 'healthy'), state('api', 'healthy', { blockedBy: ['db'], restartWhenUnblocked: true })),
      {},
      {
        changes: { api: { blockedBy: [], restartWhenUnblocked: undefined } },
        actions: [{ service: 'api', action: 'restart', cause: 'db recovered (onDependencyFailure: restart)' }],
      },
    ],
    [
      'recovered: a stopped dependent is started',
      [spec('db', []), spec('api', ['db'], 'stop')],
      stack(state('db', 'healthy'), state('api', 'stopped', { blockedBy: ['db'], restartWhenUnblocked: true })),
      {},
      {
        changes: { api: { blockedBy: [], restartWhenUnblocked: undefined } },
        actions: [{ service: 'api', action: 'start', cause: 'db recovered (onDependencyFailure: stop)' }],
      },
    ],
    [
      'an open breaker keeps it blocked after the dependency recovered',
      [spec('db', []), spec('api', ['db'])],
      stack(state('db', 'healthy'), state('api', 'healthy', { blockedBy: ['db'], restartWhenUnblocked: true })),
      { 'api->db': { state: 'open', failuresMs: [1, 2, 3], openedAtMs: 3 } },
      { changes: {}, actions: [] },
    ],
    [
      'wants never blocks; a still-blocked one changes nothing',
      [
        spec('db', []),
        { ...spec('web', []), dependsOn: [{ service: 'db', kind: 'wants', condition: 'healthy' }] },
        spec('api', ['db']),
      ],
      stack(
        state('db', 'down'),
        state('web', 'healthy'),
        state('api', 'healthy', { blockedBy: ['db'], restartWhenUnblocked: true }),
      ),
      {},
      { changes: {}, actions: [] },
    ],
  ])('%s', (_name, specs, states, breakers, expected) => {
    expect(dependencyEffects(specs, states, breakers)).toEqual(expected);
  });
});
