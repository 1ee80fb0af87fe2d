import { floorServices } from '../../bench/floor/temporal-floor';
import type { ResolvedPlan } from '../../src/plan/types';

/** A plan of only what `floorServices` reads: waves, names, dependencies. */
function plan(services: { name: string; wave: string; dependsOn: string[] }[]): ResolvedPlan {
  return {
    name: 'floor',
    waves: [
      { name: 'data', index: 0 },
      { name: 'apps', index: 1 },
    ],
    services: services.map((s) => ({ ...s, dependsOn: s.dependsOn.map((d) => ({ service: d, condition: 'ready' })) })),
  } as unknown as ResolvedPlan;
}

describe('floorServices', () => {
  it('lists every service after the services it depends on, with its wave as a number', () => {
    const services = floorServices(
      plan([
        { name: 'api', wave: 'apps', dependsOn: ['db', 'cache'] },
        { name: 'web', wave: 'apps', dependsOn: ['api'] },
        { name: 'cache', wave: 'data', dependsOn: ['db'] },
        { name: 'db', wave: 'data', dependsOn: [] },
      ]),
    );
    expect(services.map((s) => s.name)).toEqual(['db', 'cache', 'api', 'web']);
    expect(services.find((s) => s.name === 'api')).toEqual({ name: 'api', wave: 1, dependsOn: ['db', 'cache'] });
    expect(services.find((s) => s.name === 'db')!.wave).toBe(0);
  });
});
