import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { withWorker } from '../support/boot-worker';
import { uniquePlanName } from '../support/docker';
import { isListening } from '../support/net';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import {
  countLines,
  endStack,
  kill9,
  serviceOf,
  stopProcesses,
  supervising,
  untilStack,
  withSupervision,
} from './supervised-stack';

describe('a dependency that fails at run time', () => {
  it('stops its dependent (onDependencyFailure: stop) and starts it again; a breaker opens, half-opens, closes', async () => {
    // Unique per run: the process driver finds left-behind processes by plan and service across the machine.
    const name = uniquePlanName('sup-depfail');
    const dir = freshDir(`${name}-starts`);
    const startLog = (service: string) => join(dir, `${service}.starts`);
    const fixture = fixturePlan(name, ['all'], {
      db: { startLog: startLog('db') },
      api: { dependsOn: ['db'], startLog: startLog('api') },
    });
    const plan = withSupervision(fixture.plan, {
      // The test samples each state with status queries, which a busy worker can answer seconds late, so every
      // state it looks for lasts several seconds: db's first restart after 3 s (api seen stopped), its second after
      // 12 s, which leaves 4 s of the breaker open and 8 s of it half-open while db is still down.
      db: { backoff: { initialMs: 3000, maxMs: 20_000, factor: 4 } },
      api: {
        onDependencyFailure: 'stop',
        breaker: { failureThreshold: 2, windowMs: 60_000, openMs: 4000 },
      },
    });
    const taskQueue = uniqueTaskQueue(name);
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: { process: new ProcessDriver() } }, async () => {
        const stack = await supervising(client, plan);

        // First failure of db: api is stopped (its process gone), the breaker counts one failure and stays closed.
        await kill9(plan, 'db');
        const stopped = await untilStack(stack, 'api stopped, blocked by db', (status) => {
          const api = serviceOf(status, 'api');
          return api.phase === 'stopped' && serviceOf(status, 'db').phase === 'restarting' ? status : undefined;
        });
        expect(serviceOf(stopped, 'api')).toMatchObject({ blockedBy: ['db'], message: 'blocked by db' });
        expect(stopped.breakers['api->db']).toMatchObject({ state: 'closed', failuresMs: [expect.any(Number)] });
        await waitFor('api no longer listening', async () =>
          (await isListening(fixture.ports.api!)) ? undefined : true,
        );

        // db recovers: api is started again.
        const recovered = await untilStack(stack, 'db and api healthy again', (status) => {
          const [db, api] = [serviceOf(status, 'db'), serviceOf(status, 'api')];
          return db.phase === 'healthy' && api.phase === 'healthy' && api.restarts === 1 ? status : undefined;
        });
        expect(serviceOf(recovered, 'api').blockedBy).toEqual([]);
        expect(serviceOf(recovered, 'db').restarts).toBe(1);
        expect(countLines(startLog('api'))).toBe(2);
        expect(await isListening(fixture.ports.api!)).toBe(true);

        // Second failure within the window: the breaker opens; api is stopped again.
        await kill9(plan, 'db');
        const opened = await untilStack(stack, 'breaker open', (status) =>
          status.breakers['api->db']?.state === 'open' ? status : undefined,
        );
        expect(serviceOf(opened, 'api').blockedBy).toEqual(['db']);
        expect(opened.breakers['api->db']!.failuresMs).toHaveLength(2);
        // After its open time it half-opens while db is still down (its restart is 12 s away)...
        const halfOpen = await untilStack(stack, 'breaker half-open', (status) =>
          status.breakers['api->db']?.state === 'half-open' ? status : undefined,
        );
        expect(serviceOf(halfOpen, 'db').phase).toBe('restarting');
        expect(serviceOf(halfOpen, 'api')).toMatchObject({ phase: 'stopped', blockedBy: ['db'] });
        // ...and closes when db is up again, which starts api once more.
        const closed = await untilStack(
          stack,
          'breaker closed and api healthy',
          (status) => {
            const api = serviceOf(status, 'api');
            return status.breakers['api->db']?.state === 'closed' && api.phase === 'healthy' && api.restarts === 2
              ? status
              : undefined;
          },
          30_000,
        );
        expect(closed.breakers['api->db']).toEqual({ state: 'closed', failuresMs: [] });
        expect(serviceOf(closed, 'db')).toMatchObject({ phase: 'healthy', restarts: 2 });
        expect(countLines(startLog('api'))).toBe(3);
        expect(countLines(startLog('db'))).toBe(3);
        await stack.end('test over');
      });
    } finally {
      await endStack(client, plan);
      await client.close();
      await stopProcesses(plan);
    }
  });
});
