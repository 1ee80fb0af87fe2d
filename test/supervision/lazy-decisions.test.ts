import { defaultSupervision } from '../../src/plan/defaults';
import type { ServiceSpec } from '../../src/plan/types';
import type { SupervisedPhase, SupervisedService } from '../../src/contract/supervision';
import { decideLazyStart, isIdle, lazyServices } from '../../src/supervision/lazy-decisions';

const spec = (name: string, dependsOn: string[] = [], lazy?: { group: string; maxActive?: number }): ServiceSpec => ({
  name,
  wave: 'w',
  target: { driver: 'process', command: [name], env: {}, stopGraceMs: 1000 },
  dependsOn: dependsOn.map((service) => ({ service, kind: 'requires', condition: 'healthy' })),
  critical: true,
  oneShot: false,
  startTimeoutMs: 1000,
  expectedStartMs: 100,
  profiles: [],
  supervision: { ...defaultSupervision, ...(lazy ? { lazy } : {}) },
});
const state = (name: string, phase: SupervisedPhase, lastUsedAtMs?: number): SupervisedService => ({
  name,
  critical: true,
  phase,
  sinceMs: 0,
  restarts: 0,
  recentRestartsMs: [],
  blockedBy: [],
  ...(lastUsedAtMs === undefined ? {} : { lastUsedAtMs }),
});
const stack = (...services: SupervisedService[]) => Object.fromEntries(services.map((s) => [s.name, s]));
const models = { group: 'models', maxActive: 2 };

describe('decideLazyStart', () => {
  const specs = [
    spec('gpu'),
    spec('store', [], { group: 'infra' }),
    spec('phi', ['gpu'], models),
    spec('whisper', ['gpu', 'store'], models),
    spec('xtts', ['gpu'], models),
  ];
  it.each<[string, string, Record<string, SupervisedService>, ReturnType<typeof decideLazyStart>]>([
    [
      'starts the lazy dependencies that are not up, dependencies first',
      'whisper',
      stack(
        state('gpu', 'healthy'),
        state('store', 'on-demand'),
        state('phi', 'on-demand'),
        state('whisper', 'on-demand'),
      ),
      { start: ['store', 'whisper'], evict: [] },
    ],
    [
      'a full group evicts its least recently used member',
      'xtts',
      stack(
        state('gpu', 'healthy'),
        state('phi', 'healthy', 2000),
        state('whisper', 'healthy', 1000),
        state('store', 'healthy', 500),
        state('xtts', 'idle-stopped'),
      ),
      { start: ['xtts'], evict: ['whisper'] },
    ],
    [
      'room in the group: nothing evicted',
      'xtts',
      stack(state('gpu', 'healthy'), state('phi', 'healthy', 2000), state('xtts', 'on-demand')),
      { start: ['xtts'], evict: [] },
    ],
  ])('%s', (_name, target, states, expected) => {
    expect(decideLazyStart(specs, states, target)).toEqual(expected);
  });
});

describe('lazyServices', () => {
  it('leaves out lazy services unless an eager one needs them', () => {
    const specs = [
      spec('db'),
      spec('cache', [], { group: 'g' }),
      spec('api', ['cache']),
      spec('model', ['db'], models),
    ];
    expect(lazyServices(specs)).toEqual(['model']);
  });
});

describe('isIdle', () => {
  it.each([
    [1000, 5000, 5999, false],
    [1000, 5000, 6000, true],
  ])('last active %i, timeout %i, now %i → %s', (last, timeout, now, idle) => {
    expect(isIdle(last, timeout, now)).toBe(idle);
  });
});
