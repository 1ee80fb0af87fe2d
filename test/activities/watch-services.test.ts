import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities/create-activities';
import { watchServices } from '../../src/activities/watch-services';
import type { WatchProgress, WatchServicesInput, WatchServicesResult } from '../../src/contract/supervision';
import type { Driver, RuntimeState } from '../../src/drivers/driver';
import type { ServiceSpec } from '../../src/plan/types';
import { ListeningSockets } from '../../src/probes/listening-sockets';
import { freePort } from '../../src/temporal/free-port';
import { processService, watchTestTiming } from '../support/service-spec';

/** A driver whose services' states the test sets, by name; inspects are counted. */
function switchableDriver(states: Map<string, RuntimeState>, inspected: string[] = []): Driver {
  return {
    start: async () => ({ instance: 'fake', created: true, ownerBootId: 'b' }),
    inspect: async (_ctx, service) => {
      inspected.push(service.name);
      const state = states.get(service.name);
      if (!state) throw new Error(`engine does not answer for ${service.name}`);
      return state;
    },
    stop: async () => ({ stopped: true }),
  };
}

const spec = (name: string, driver: 'process' | 'docker' = 'process'): ServiceSpec =>
  processService({
    name,
    wave: 'w',
    ...(driver === 'docker'
      ? { target: { driver: 'docker', image: 'busybox' } as unknown as ServiceSpec['target'] }
      : {}),
    // No check: a running service passes each round; 20 ms rounds. The waits below are many rounds long, so a busy
    // shared machine still fits several rounds into them.
    health: {
      timing: watchTestTiming,
      preChecks: [],
    } as unknown as ServiceSpec['health'],
  });

const specs = new Map(['db', 'api', 'web', 'cache'].map((name) => [name, spec(name)]));

function activitiesFor(states: Map<string, RuntimeState>, inspected: string[] = []) {
  return createActivities({
    drivers: { process: switchableDriver(states, inspected) },
    watchedSpecs: async (names) => names.flatMap((name) => specs.get(name) ?? []),
  });
}

const input = (members: WatchServicesInput['members'], windowMs = 10_000): WatchServicesInput => ({
  plan: 'demo',
  bootId: 'b',
  windowMs,
  members,
});

describe('watchServices (one activity watches many services)', () => {
  it('hands its members back unchanged when the worker leaves before the stack has answered', async () => {
    const leaving = new AbortController();
    const progress: WatchProgress = { startedAtMs: 1, consecutiveFailures: 2, consecutiveSuccesses: 0, lastOutput: '' };
    // The stack's answer never comes (its workflow worker is gone); only the abort ends the wait.
    const neverAnswered = (_names: string[], signal: AbortSignal) =>
      new Promise<ServiceSpec[]>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    setTimeout(() => leaving.abort(), 50);
    const result = (await new MockActivityEnvironment().run(
      (batch: WatchServicesInput) =>
        watchServices(
          { driverFor: () => switchableDriver(new Map()), specsOf: neverAnswered, shuttingDown: leaving.signal },
          batch,
        ),
      input([
        { name: 'db', expect: 'up', progress },
        { name: 'api', expect: 'up' },
      ]),
    )) as WatchServicesResult;
    expect(result).toEqual({
      changes: [],
      progress: { db: progress, api: expect.objectContaining({ consecutiveFailures: 0 }) },
      windowEnded: false,
    });
  });

  it("returns as soon as one member changes, with every member's counters for the next batch", async () => {
    const states = new Map<string, RuntimeState>([
      ['db', { phase: 'running' }],
      ['api', { phase: 'running' }],
      ['web', { phase: 'running' }],
    ]);
    const activities = activitiesFor(states);
    setTimeout(() => states.set('api', { phase: 'exited', exitCode: 137, logTail: 'Killed' }), 300);
    const result = (await new MockActivityEnvironment().run(
      activities.watchServices,
      input([
        { name: 'db', expect: 'up' },
        { name: 'api', expect: 'up' },
        { name: 'web', expect: 'up' },
      ]),
    )) as WatchServicesResult;
    expect(result.changes).toEqual([
      { name: 'api', result: expect.objectContaining({ kind: 'exited', exitCode: 137, logTail: 'Killed' }) },
    ]);
    expect(result.windowEnded).toBe(false);
    expect(Object.keys(result.progress).sort()).toEqual(['api', 'db', 'web']);
    expect(result.progress.db!.consecutiveSuccesses).toBeGreaterThan(1);
  });

  it('resumes counters handed in (a recovery needs successThreshold passes in all) and reports the recovery', async () => {
    const states = new Map<string, RuntimeState>([['db', { phase: 'running' }]]);
    const progress: WatchProgress = { startedAtMs: 0, consecutiveFailures: 0, consecutiveSuccesses: 1, lastOutput: '' };
    const result = (await new MockActivityEnvironment().run(
      activitiesFor(states).watchServices,
      input([{ name: 'db', expect: 'down', progress }]),
    )) as WatchServicesResult;
    expect(result.changes).toEqual([{ name: 'db', result: expect.objectContaining({ kind: 'healthy' }) }]);
  });

  it('ends at its window with nothing changed, and says so', async () => {
    const states = new Map<string, RuntimeState>([['db', { phase: 'running' }]]);
    const result = (await new MockActivityEnvironment().run(
      activitiesFor(states).watchServices,
      input([{ name: 'db', expect: 'up' }], 600),
    )) as WatchServicesResult;
    expect(result).toMatchObject({ changes: [], windowEnded: true });
    expect(result.progress.db!.consecutiveSuccesses).toBeGreaterThan(2);
  });

  it('answers a cancellation with the counters, as a result (not a window end)', async () => {
    const states = new Map<string, RuntimeState>([['db', { phase: 'running' }]]);
    const env = new MockActivityEnvironment();
    setTimeout(() => env.cancel(), 300);
    const result = (await env.run(
      activitiesFor(states).watchServices,
      input([{ name: 'db', expect: 'up' }]),
    )) as WatchServicesResult;
    expect(result).toMatchObject({ changes: [], windowEnded: false });
    expect(result.progress.db!.consecutiveSuccesses).toBeGreaterThan(1);
  });

  it('heartbeats once a second for all members, not per round or per member', async () => {
    const states = new Map<string, RuntimeState>([
      ['db', { phase: 'running' }],
      ['api', { phase: 'running' }],
    ]);
    const beats: Record<string, WatchProgress>[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (details: Record<string, WatchProgress>) => beats.push(details));
    await env.run(
      activitiesFor(states).watchServices,
      input(
        [
          { name: 'db', expect: 'up' },
          { name: 'api', expect: 'up' },
        ],
        1500,
      ),
    );
    // One at the start and one after a second: ~75 rounds per member in between.
    expect(beats).toHaveLength(2);
    expect(Object.keys(beats[1]!).sort()).toEqual(['api', 'db']);
  });

  it('resumes from its last heartbeat after a retry (a worker died)', async () => {
    const states = new Map<string, RuntimeState>([['db', { phase: 'running', notReady: 'HEALTHCHECK failing' }]]);
    const resumed: Record<string, WatchProgress> = {
      db: { startedAtMs: 0, consecutiveFailures: 2, consecutiveSuccesses: 0, lastOutput: 'HEALTHCHECK failing' },
    };
    const inspected: string[] = [];
    const result = (await new MockActivityEnvironment({ heartbeatDetails: resumed }).run(
      activitiesFor(states, inspected).watchServices,
      input([{ name: 'db', expect: 'up' }]),
    )) as WatchServicesResult;
    // Two failures carried, the third is the first round of this attempt.
    expect(inspected).toHaveLength(1);
    expect(result.changes).toEqual([
      { name: 'db', result: expect.objectContaining({ kind: 'unhealthy', reason: 'HEALTHCHECK failing' }) },
    ]);
  });

  it('keeps watching the others while one member cannot be inspected, and tries it again', async () => {
    const states = new Map<string, RuntimeState>([['db', { phase: 'running' }]]);
    const inspected: string[] = [];
    const activities = activitiesFor(states, inspected);
    // `cache` has no state: its inspect throws (a retryable error) until the engine answers for it.
    setTimeout(() => states.set('cache', { phase: 'exited', exitCode: 1, logTail: '' }), 1300);
    const result = (await new MockActivityEnvironment().run(
      activities.watchServices,
      input([
        { name: 'db', expect: 'up' },
        { name: 'cache', expect: 'up' },
      ]),
    )) as WatchServicesResult;
    expect(result.changes).toEqual([{ name: 'cache', result: expect.objectContaining({ kind: 'exited' }) }]);
    expect(inspected.filter((n) => n === 'db').length).toBeGreaterThan(20);
    // Tried at once, after 1 s, then after 2 s: the third attempt sees the exit.
    expect(inspected.filter((n) => n === 'cache')).toHaveLength(3);
  });

  it('reports a member this worker cannot watch (no driver for it) at once, and leaves out one no longer in the stack', async () => {
    specs.set('box', spec('box', 'docker'));
    const states = new Map<string, RuntimeState>([['db', { phase: 'running' }]]);
    const result = (await new MockActivityEnvironment().run(
      activitiesFor(states).watchServices,
      input([
        { name: 'db', expect: 'up' },
        { name: 'box', expect: 'up' },
        { name: 'gone', expect: 'up' },
      ]),
    )) as WatchServicesResult;
    expect(result.changes).toEqual([{ name: 'box', notWatched: expect.stringContaining('no docker driver') }]);
    expect(Object.keys(result.progress)).toEqual(['db']);
  });
});

describe('watchServices with the worker’s listening-socket table', () => {
  // A port nothing listens on (just released by the OS): a connection is refused, so only the table can make its
  // check pass.
  let closedPort = 0;
  beforeAll(async () => {
    closedPort = await freePort();
  });
  const tcpChecked = (name: string): ServiceSpec => {
    const base = spec(name);
    return { ...base, health: { ...base.health!, probe: { kind: 'tcp', host: '127.0.0.1', port: closedPort } } };
  };
  const watch = (listening?: ListeningSockets) =>
    new MockActivityEnvironment().run(
      (batch: WatchServicesInput) =>
        watchServices(
          {
            driverFor: () => switchableDriver(new Map([['tcp-db', { phase: 'running' }]])),
            specsOf: async () => [tcpChecked('tcp-db')],
            listening,
          },
          batch,
        ),
      input([{ name: 'tcp-db', expect: 'up' }], 300),
    ) as Promise<WatchServicesResult>;

  it('takes a TCP check’s pass from the table it is given, and connects without one', async () => {
    const listed = new ListeningSockets({
      minLookupsPerSecond: 0,
      readTable: () => [{ address: '127.0.0.1', port: closedPort, queued: 0 }],
    });
    expect((await watch(listed)).windowEnded).toBe(true);
    const connecting = await watch();
    expect(connecting.changes).toEqual([
      {
        name: 'tcp-db',
        result: expect.objectContaining({
          kind: 'unhealthy',
          reason: `connect ECONNREFUSED 127.0.0.1:${closedPort}`,
        }),
      },
    ]);
  });
});
