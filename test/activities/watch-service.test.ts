import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities/create-activities';
import type { WatchProgress, WatchServiceResult } from '../../src/contract/supervision';
import type { Driver, RuntimeState } from '../../src/drivers/driver';
import type { ServiceSpec } from '../../src/plan/types';
import { processService, watchTestTiming } from '../support/service-spec';

function scriptedDriver(states: RuntimeState[]): Driver {
  let index = 0;
  return {
    start: async () => ({ instance: 'fake', created: true, ownerBootId: 'b' }),
    inspect: async () => states[Math.min(index++, states.length - 1)]!,
    stop: async () => ({ stopped: true }),
  };
}

/** A real HTTP endpoint whose status the test switches. */
let server: Server;
let status = 200;
let port = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(status);
    res.end(String(status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const service = (): ServiceSpec =>
  processService({
    wave: 'w',
    health: {
      probe: { kind: 'http', url: `http://127.0.0.1:${port}/health`, expectStatus: [200] },
      timing: watchTestTiming,
      preChecks: [],
    },
  });

async function watch(
  states: RuntimeState[],
  expect: 'up' | 'down',
  windowMs = 10_000,
  env = new MockActivityEnvironment(),
): Promise<WatchServiceResult> {
  const activities = createActivities({ drivers: { process: scriptedDriver(states) } });
  return (await env.run(activities.watchService, {
    plan: 'demo',
    bootId: 'b',
    service: service(),
    expect,
    windowMs,
  })) as WatchServiceResult;
}

describe('watchService', () => {
  beforeEach(() => (status = 200));

  it('reports an exit at once, with its code and log tail', async () => {
    const result = await watch([{ phase: 'running' }, { phase: 'exited', exitCode: 137, logTail: 'Killed' }], 'up');
    expect(result).toMatchObject({ kind: 'exited', exitCode: 137, logTail: 'Killed' });
  });

  it('reports unhealthy only after `retries` failed probes in a row', async () => {
    status = 503;
    const heartbeats: WatchProgress[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (details: WatchProgress) => heartbeats.push(details));
    const result = await watch([{ phase: 'running' }], 'up', 10_000, env);
    expect(result).toMatchObject({ kind: 'unhealthy', reason: expect.stringContaining('503') });
    expect(heartbeats.map((h) => h.consecutiveFailures)).toEqual([1, 2]);
  });

  it('says nothing while a healthy service stays healthy, until its window ends; heartbeats once, not per round', async () => {
    const heartbeats: WatchProgress[] = [];
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 10_000 });
    env.on('heartbeat', (details: WatchProgress) => heartbeats.push(details));
    // A window well inside the first steady heartbeat interval (1 s at least), yet long enough that a slow shared
    // machine still ends its first round inside it: dozens of 20 ms rounds, one heartbeat.
    const result = await watch([{ phase: 'running' }], 'up', 800, env);
    expect(result).toMatchObject({ kind: 'unchanged', latencyMs: expect.any(Number) });
    expect(heartbeats).toHaveLength(1);
    expect(heartbeats[0]).toMatchObject({ consecutiveFailures: 0 });
  });

  it('expecting a recovery, a service still down is no news; healthy after successThreshold passes', async () => {
    const result = await watch(
      [
        { phase: 'exited', exitCode: 1, logTail: '' },
        { phase: 'exited', exitCode: 1, logTail: '' },
        { phase: 'running' },
      ],
      'down',
    );
    expect(result).toMatchObject({ kind: 'healthy' });
  });

  it('reports a restart the target made itself (a container restart policy) as an exit, from the second round on', async () => {
    const running = (count: number): RuntimeState => ({
      phase: 'running',
      engineRestarts: { count, lastExitCode: 137 },
    });
    const result = await watch([running(2), running(2), running(3)], 'up');
    expect(result).toMatchObject({ kind: 'exited', exitCode: 137, engineRestarts: 3 });
  });

  it("counts rounds in which the target's own readiness fails (a rollout, a HEALTHCHECK) as failed probes", async () => {
    const heartbeats: WatchProgress[] = [];
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (details: WatchProgress) => heartbeats.push(details));
    const notReady = 'deployment/web: 0 of 1 updated replicas available';
    const result = await watch([{ phase: 'running' }, { phase: 'running', notReady }], 'up', 10_000, env);
    expect(result).toMatchObject({ kind: 'unhealthy', reason: notReady });
    expect(heartbeats.map((h) => h.consecutiveFailures)).toEqual([0, 1, 2]);
  });
});
