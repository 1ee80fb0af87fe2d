import { budgetedDidYouMean, closestName, editDistance } from '../../src/plan/closest-name';
import { deriveWaves } from '../../src/plan/derive-waves';
import { findCycles } from '../../src/plan/find-cycles';
import { topologicalOrder } from '../../src/plan/topological-order';

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('findCycles', () => {
  test('an acyclic graph has none', () => {
    expect(findCycles(graph({ a: [], b: ['a'], c: ['a', 'b'] }))).toEqual([]);
  });
  test('prints each cycle from where it was entered, closing on its first name', () => {
    expect(findCycles(graph({ a: ['b'], b: ['c'], c: ['a'], d: ['d'] }))).toEqual([
      ['a', 'b', 'c', 'a'],
      ['d', 'd'],
    ]);
  });
  test('reports two separate cycles once each', () => {
    expect(findCycles(graph({ a: ['b'], b: ['a'], c: ['d'], d: ['c'], e: ['a', 'c'] }))).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'c'],
    ]);
  });
  test('ignores edges to unknown names', () => {
    expect(findCycles(graph({ a: ['ghost'] }))).toEqual([]);
  });
});

describe('topologicalOrder', () => {
  test('puts dependencies first and otherwise keeps declaration order', () => {
    expect(topologicalOrder(graph({ api: ['db', 'cache'], db: [], cache: ['db'], ui: ['api'], docs: [] }))).toEqual([
      'db',
      'cache',
      'api',
      'ui',
      'docs',
    ]);
  });
});

describe('deriveWaves', () => {
  const g = graph({ db: [], cache: [], api: ['db', 'cache'], worker: ['api'], ui: ['api'] });
  const order = topologicalOrder(g);

  test('layers services without explicit waves topologically', () => {
    const { waveNames, waveOf } = deriveWaves(g, order, new Map(), []);
    expect(waveNames).toEqual(['wave-0', 'wave-1', 'wave-2']);
    expect(Object.fromEntries(waveOf)).toEqual({ db: 0, cache: 0, api: 1, worker: 2, ui: 2 });
  });

  test('honours explicit waves and places the rest after their dependencies', () => {
    const { waveNames, waveOf } = deriveWaves(
      g,
      order,
      new Map([
        ['cache', 1],
        ['ui', 3],
      ]),
      ['data', 'cache', 'apps'],
    );
    expect(waveNames).toEqual(['data', 'cache', 'apps', 'wave-3']);
    expect(Object.fromEntries(waveOf)).toEqual({ db: 0, cache: 1, api: 2, worker: 3, ui: 3 });
  });
});

describe('closestName', () => {
  test.each([
    ['postgress', 'postgres'],
    ['Redis', 'redis'],
    ['kafak', 'kafka'],
    ['zzzzzz', undefined],
    ['b', undefined],
  ])('%p → %p', (name, expected) => {
    expect(closestName(name, ['postgres', 'redis', 'kafka', 'a'])).toBe(expected);
  });
  test('editDistance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('budgetedDidYouMean', () => {
  test('suggests while the characters compared fit the budget, then only where they still do', () => {
    const services = ['postgres', 'redis'];
    // (name + 1) × (each candidate + 1): 10 × (9 + 6) = 150 for "postgress" among the services.
    const suggest = budgetedDidYouMean(200);
    expect(suggest('postgress', services)).toBe(' (did you mean "postgres"?)');
    expect(suggest('postgress', services)).toBe('');
    expect(suggest('rediss', ['redis'])).toBe(' (did you mean "redis"?)');
  });
});
