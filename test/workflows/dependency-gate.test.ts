import type { Dependency } from '../../src/plan/types';
import { evaluateGate } from '../../src/workflows/dependency-gate';
import type { ServicePhase } from '../../src/contract/status';

const requires = (service: string, condition: Dependency['condition'] = 'healthy'): Dependency => ({
  service,
  kind: 'requires',
  condition,
});
const wants = (service: string, condition: Dependency['condition'] = 'healthy'): Dependency => ({
  service,
  kind: 'wants',
  condition,
});

describe('evaluateGate', () => {
  const phases = (entries: Record<string, ServicePhase>) => (name: string) => entries[name];

  it.each<[string, Dependency[], Record<string, ServicePhase>, ReturnType<typeof evaluateGate>]>([
    ['no dependencies', [], {}, { verdict: 'open' }],
    ['healthy meets healthy', [requires('db')], { db: 'healthy' }, { verdict: 'open' }],
    ['degraded meets healthy', [requires('db')], { db: 'degraded' }, { verdict: 'open' }],
    ['probing meets started', [requires('db', 'started')], { db: 'probing' }, { verdict: 'open' }],
    ['completed meets completed', [requires('migrate', 'completed')], { migrate: 'completed' }, { verdict: 'open' }],
    [
      'probing waits for healthy',
      [requires('db')],
      { db: 'probing' },
      { verdict: 'wait', waitingFor: ['db (healthy)'] },
    ],
    [
      'pending waits',
      [requires('db'), requires('cache')],
      { db: 'pending', cache: 'healthy' },
      { verdict: 'wait', waitingFor: ['db (healthy)'] },
    ],
    [
      'failed blocks requires',
      [requires('db')],
      { db: 'failed' },
      { verdict: 'blocked', reason: 'requires db (healthy), which is failed' },
    ],
    [
      'skipped blocks requires',
      [requires('db')],
      { db: 'skipped' },
      { verdict: 'blocked', reason: 'requires db (healthy), which is skipped' },
    ],
    [
      'absent blocks requires',
      [requires('db')],
      {},
      { verdict: 'blocked', reason: 'requires db (healthy), which is not part of this boot' },
    ],
    [
      'healthy never completes',
      [requires('db', 'completed')],
      { db: 'healthy' },
      { verdict: 'blocked', reason: 'requires db (completed), which is healthy' },
    ],
    ['failed wants is tolerated', [wants('tracing')], { tracing: 'failed' }, { verdict: 'open' }],
    ['absent wants is tolerated', [wants('tracing')], {}, { verdict: 'open' }],
    [
      'wants still orders',
      [wants('tracing')],
      { tracing: 'starting' },
      { verdict: 'wait', waitingFor: ['tracing (healthy)'] },
    ],
  ])('%s', (_name, dependsOn, known, expected) => {
    expect(evaluateGate(dependsOn, phases(known))).toEqual(expected);
  });
});
