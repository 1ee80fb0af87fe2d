import { stopBackwards, type Stoppable } from '../../src/workflows/stop-backwards';

const service = (name: string, wave: string, ...deps: string[]): Stoppable => ({
  name,
  wave,
  dependsOn: deps.map((d) => ({ service: d })),
});
const waves: Record<string, number> = { data: 0, apps: 1, edge: 2 };

/**
 * Runs the stops with a fake stop that takes 10 ms. Returns the order of events (`began` and `ended`: positions in
 * one sequence) and, per service, how many stops had ended when it began: services begun at the same count ran
 * side by side, whatever the timers did.
 */
async function timeline(services: Stoppable[], failing: string[] = []) {
  let sequence = 0;
  const began = new Map<string, number>();
  const ended = new Map<string, number>();
  const endedBefore = new Map<string, number>();
  const error = await stopBackwards(
    services,
    (wave) => waves[wave]!,
    async (s) => {
      began.set(s.name, sequence++);
      endedBefore.set(s.name, ended.size);
      await new Promise((resolve) => setTimeout(resolve, 10));
      ended.set(s.name, sequence++);
      if (failing.includes(s.name)) throw new Error('stop failed');
    },
  ).then(
    () => undefined,
    (failure: Error) => failure,
  );
  return { began, ended, endedBefore, error };
}

describe('stopBackwards', () => {
  const plan = [
    service('db', 'data'),
    service('cache', 'data'),
    service('migrate', 'data', 'db'),
    service('api', 'apps', 'db', 'cache'),
    service('worker', 'apps', 'db'),
    service('web', 'edge', 'api'),
    service('docs', 'edge'),
  ];

  it('stops every service once, each after all its dependents and every later wave', async () => {
    const { began, ended, error } = await timeline(plan);
    expect(error).toBeUndefined();
    expect([...began.keys()].sort()).toEqual(plan.map((s) => s.name).sort());
    for (const s of plan) {
      for (const d of s.dependsOn) expect(began.get(d.service)!).toBeGreaterThanOrEqual(ended.get(s.name)!);
      for (const other of plan)
        if (waves[other.wave]! > waves[s.wave]!)
          expect(began.get(s.name)!).toBeGreaterThanOrEqual(ended.get(other.name)!);
    }
  });

  it('stops what the order leaves independent at the same time', async () => {
    const { endedBefore } = await timeline(plan);
    // The last wave together; then api and worker together; then cache with migrate.
    const { db, ...others } = Object.fromEntries(endedBefore);
    expect(others).toEqual({ web: 0, docs: 0, api: 2, worker: 2, cache: 4, migrate: 4 });
    // After migrate (which needs it), whether or not cache has ended by then.
    expect(db).toBeGreaterThanOrEqual(5);
  });

  it('goes on stopping in order when a stop fails, and then throws its error', async () => {
    const { began, error } = await timeline(plan, ['api']);
    expect([...began.keys()].sort()).toEqual(plan.map((s) => s.name).sort());
    expect(error).toEqual(new Error('stop failed'));
  });
});
