import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { BootClient } from '../../src/client/boot-client';
import { waveWorkflowId } from '../../src/contract/ids';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import type { ResolvedPlan } from '../../src/plan/types';
import { runCli } from '../cli/capture-io';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WorkerProcess } from '../support/worker-process';
import { activityRuns } from './activity-runs';
import { hostedPlan } from './hosted-plan';

const countLines = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
/** Where the process driver of a host's worker records a service it started. */
const recordOf = (stateDir: string, plan: string, service: string) =>
  join(stateDir, 'processes', plan, service, 'process.json');

async function stopAll(plan: ResolvedPlan, stateDirs: string[]) {
  for (const dir of stateDirs)
    for (const service of plan.services) await new ProcessDriver(dir).stop({ plan: plan.name, bootId: '' }, service);
}

let temporal: Client;
beforeAll(async () => {
  temporal = await testClient();
});
afterAll(async () => {
  await temporal.connection.close();
  process.exitCode = undefined;
});

describe('one boot across several hosts', () => {
  it("starts every service on its host's worker, checks across hosts, and finishes on a replacement after kill -9", async () => {
    const taskQueue = uniqueTaskQueue('hosts');
    const dir = freshDir('hosts');
    const state = { mainpc: join(dir, 'mainpc-state'), pc2: join(dir, 'pc2-state') };
    const { plan, startLog } = hostedPlan(
      `two-hosts-${taskQueue}`,
      [
        { name: 'main', host: 'mainpc' },
        { name: 'edge', host: 'pc2' },
      ],
      {
        hub: { wave: 'main' },
        // On pc2, checked across hosts: hub's endpoint first. Slow, so the kill lands mid-probe.
        responder: { wave: 'edge', dependsOn: ['hub'], checkDependencies: true, args: ['--start-delay', '4000'] },
        agent: { wave: 'edge', dependsOn: ['responder'], checkDependencies: true },
        // Placed on mainpc although its wave is pc2's.
        metrics: { wave: 'edge', host: 'mainpc', dependsOn: ['hub'] },
      },
    );
    const mainpc = await WorkerProcess.start({
      taskQueue,
      logFile: join(dir, 'mainpc.log'),
      host: { name: 'mainpc', stateDir: state.mainpc },
    });
    const pc2 = await WorkerProcess.start({
      taskQueue,
      logFile: join(dir, 'pc2.log'),
      host: { name: 'pc2', stateDir: state.pc2 },
    });
    let replacement: WorkerProcess | undefined;
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      const handle = await client.start(plan, { strategy: 'dag', workflowId: `hosts-${taskQueue}` });
      await waitFor('responder probing on pc2', async () =>
        (await handle.status()).services.find((s) => s.name === 'responder')?.phase === 'probing' ? true : undefined,
      );
      await pc2.kill();
      replacement = await WorkerProcess.start({
        taskQueue,
        logFile: join(dir, 'pc2-replacement.log'),
        host: { name: 'pc2', stateDir: state.pc2 },
      });
      const result = await handle.result();
      expect(result.phase).toBe('succeeded');

      const hostOf: Record<string, 'mainpc' | 'pc2'> = {
        hub: 'mainpc',
        metrics: 'mainpc',
        responder: 'pc2',
        agent: 'pc2',
      };
      for (const [service, host] of Object.entries(hostOf)) {
        const other = host === 'mainpc' ? 'pc2' : 'mainpc';
        // Started once, by its host's driver: its record is in that host's state directory only.
        expect({ service, starts: countLines(startLog(service)) }).toEqual({ service, starts: 1 });
        expect({ service, on: existsSync(recordOf(state[host], plan.name, service)) }).toEqual({ service, on: true });
        expect({ service, off: existsSync(recordOf(state[other], plan.name, service)) }).toEqual({
          service,
          off: false,
        });
      }

      // The history says the same: each start and probe went to its host's queue and ran on that host's worker.
      const runs = (
        await Promise.all(plan.waves.map((wave) => activityRuns(temporal, waveWorkflowId(handle.workflowId, wave))))
      ).flat();
      const placed = runs.map((run) => ({
        activity: run.activityId,
        taskQueue: run.taskQueue,
        host: run.identity?.split(' host=')[1],
      }));
      expect(placed.sort((a, b) => a.activity.localeCompare(b.activity))).toEqual(
        Object.entries(hostOf)
          .flatMap(([service, host]) => [
            { activity: `probe/${service}`, taskQueue: `${taskQueue}@${host}`, host },
            { activity: `start/${service}`, taskQueue: `${taskQueue}@${host}`, host },
          ])
          .sort((a, b) => a.activity.localeCompare(b.activity)),
      );
      // The probe the kill interrupted, and everything after it on pc2, ran on the replacement.
      const identity = (activity: string) => runs.find((run) => run.activityId === activity)?.identity;
      expect(identity('probe/responder')).toBe(replacement.identity);
      expect(identity('start/agent')).toBe(replacement.identity);
      expect(identity('start/hub')).toBe(mainpc.identity);
      expect(identity('start/responder')).toBe(pc2.identity);
    } finally {
      await mainpc.stop();
      await pc2.kill();
      await replacement?.stop();
      await client.close();
      await stopAll(plan, [state.mainpc, state.pc2]);
    }
  });

  it('a host without a worker: status says the boot waits for one, and the wave deadline fails it with that reason', async () => {
    const taskQueue = uniqueTaskQueue('absent-host');
    const dir = freshDir('absent-host');
    const stateDir = join(dir, 'mainpc-state');
    const { plan } = hostedPlan(
      `absent-host-${taskQueue}`,
      [
        { name: 'main', host: 'mainpc' },
        { name: 'edge', host: 'pc2', deadline: '12s' },
      ],
      { hub: { wave: 'main' }, responder: { wave: 'edge', dependsOn: ['hub'] } },
    );
    const mainpc = await WorkerProcess.start({
      taskQueue,
      logFile: join(dir, 'mainpc.log'),
      host: { name: 'mainpc', stateDir },
    });
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
    process.env.BOOTWAVE_TASK_QUEUE = taskQueue;
    try {
      const handle = await client.start(plan, { strategy: 'waves', workflowId: `absent-${taskQueue}` });
      const shown = await waitFor('status shows the wait', async () => {
        const status = await runCli('status', plan.name, '--id', handle.workflowId);
        return status.out.includes('waiting for a worker on pc2') ? status : undefined;
      });
      expect(shown.code).toBe(0);
      expect(shown.out).toMatch(/responder +starting .*waiting for a worker on pc2/);
      const result = await handle.result();
      expect(result.phase).toBe('rolled-back');
      expect(result.failure).toBe(
        'critical service responder failed: not ready: wave aborted (wave edge not ready after 12000 ms: waiting for a worker on pc2)',
      );
      // Nothing ran on pc2, so the rollback did not wait for it; hub (on mainpc) was stopped.
      expect(result.services.map((s) => [s.name, s.phase])).toEqual([
        ['hub', 'rolled-back'],
        ['responder', 'failed'],
      ]);
    } finally {
      delete process.env.BOOTWAVE_TASK_QUEUE;
      await mainpc.stop();
      await client.close();
      await stopAll(plan, [stateDir]);
    }
  });
});
