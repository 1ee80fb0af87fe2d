import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { withWorker } from '../support/boot-worker';
import { uniquePlanName } from '../support/docker';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import {
  countLines,
  endStack,
  serviceOf,
  currentPid,
  stopProcesses,
  supervising,
  untilStack,
  withSupervision,
} from './supervised-stack';

/** `gone`, or the state letter of /proc/<pid>/status (Z: a zombie, dead but not reaped yet). */
function processState(pid: number): string {
  try {
    return /^State:\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'gone';
  } catch {
    return 'gone';
  }
}

describe('supervision of a service that runs but fails its health check', () => {
  it('restarts it after `retries` failed probes in a row: a new process, counted once, healthy again', async () => {
    // Unique per run: the process driver finds left-behind processes by plan and service across the machine.
    const name = uniquePlanName('sup-unhealthy');
    const dir = freshDir(`${name}-files`);
    const failFlag = join(dir, 'web.fail');
    const startLog = join(dir, 'web.starts');
    const base = fixturePlan(name, ['all'], { web: { args: ['--fail-when-file', failFlag], startLog } });
    // A longer first backoff leaves time to take the flag away before the restart (or it would fail again).
    const plan = withSupervision(base.plan, { web: { backoff: { initialMs: 1500, maxMs: 2000, factor: 2 } } });
    const taskQueue = uniqueTaskQueue(name);
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: { process: new ProcessDriver() } }, async () => {
        const stack = await supervising(client, plan);
        const pidBefore = await currentPid(plan, 'web');
        writeFileSync(failFlag, '');
        const restarting = await untilStack(stack, 'web restarting for its failing check', (status) => {
          const web = serviceOf(status, 'web');
          return web.phase === 'restarting' ? web : undefined;
        });
        rmSync(failFlag);
        // Its process still ran: it is restarted for the check (HTTP 500, `retries` 3 times), not for an exit.
        expect(process.kill(pidBefore, 0)).toBe(true);
        expect(restarting.lastExit).toBeUndefined();
        expect(restarting.message).toMatch(/^last: unhealthy: .*500.* \(restart: on-failure\)$/);

        const healthy = await untilStack(stack, 'web healthy again', (status) => {
          const web = serviceOf(status, 'web');
          return web.phase === 'healthy' && web.restarts === 1 ? web : undefined;
        });
        expect(healthy.message).toBeUndefined();
        expect(await currentPid(plan, 'web')).not.toBe(pidBefore);
        expect(processState(pidBefore)).toMatch(/^(gone|Z)/);
        expect(countLines(startLog)).toBe(2);
        await stack.end('test over');
      });
    } finally {
      await endStack(client, plan);
      await client.close();
      await stopProcesses(plan);
    }
  });
});
