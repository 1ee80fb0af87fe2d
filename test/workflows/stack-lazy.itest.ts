import { spawn } from 'node:child_process';
import { BootClient } from '../../src/client/boot-client';
import type { StackStatus } from '../../src/contract/supervision';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { defaultSupervision } from '../../src/plan/defaults';
import type { ResolvedPlan } from '../../src/plan/types';
import { withWorker } from '../support/boot-worker';
import { isListening } from '../support/net';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

const phase = (status: StackStatus, name: string) => status.services.find((s) => s.name === name)!;

describe('on-demand services', () => {
  it('starts with their dependencies on demand, evicts the least recently used at maxActive, stops when idle', async () => {
    const fixture = fixturePlan('sup-lazy', ['all'], {
      gpu: {},
      store: {},
      phi: { dependsOn: ['gpu'] },
      whisper: { dependsOn: ['gpu', 'store'] },
    });
    const lazy = {
      phi: { group: 'models', maxActive: 1, idleTimeoutMs: 1500 },
      store: { group: 'infra', idleTimeoutMs: 600_000 },
    };
    const plan: ResolvedPlan = {
      ...fixture.plan,
      services: fixture.plan.services.map((s) => ({
        ...s,
        supervision: {
          ...defaultSupervision,
          ...(s.name === 'phi' ? { lazy: lazy.phi } : {}),
          ...(s.name === 'whisper' ? { lazy: { ...lazy.phi, idleTimeoutMs: 600_000 } } : {}),
          ...(s.name === 'store' ? { lazy: lazy.store } : {}),
        },
      })),
    };
    const { ports } = fixture;
    const taskQueue = uniqueTaskQueue('sup-lazy');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await withWorker({ taskQueue, drivers: { process: new ProcessDriver() } }, async () => {
        const { stack, boot } = await client.up(plan);
        const booted = await boot.result();
        expect(booted.services.map((s) => s.name)).toEqual(['gpu']);
        await waitFor('supervising', async () => ((await stack.status()).phase === 'supervising' ? true : undefined));
        const first = await stack.status();
        expect(['phi', 'whisper', 'store'].map((n) => phase(first, n).phase)).toEqual([
          'on-demand',
          'on-demand',
          'on-demand',
        ]);
        expect(await isListening(ports.whisper!)).toBe(false);

        // whisper starts with its lazy dependency store (gpu is up already).
        expect(await stack.start('whisper')).toMatchObject({ phase: 'healthy' });
        expect(await isListening(ports.store!)).toBe(true);
        expect(await isListening(ports.whisper!)).toBe(true);

        // phi is in the same group (maxActive 1): whisper, the least recently used, is evicted.
        expect(await stack.start('phi')).toMatchObject({ phase: 'healthy' });
        const evicted = phase(await stack.status(), 'whisper');
        expect(evicted).toMatchObject({
          phase: 'idle-stopped',
          message: 'evicted: the least recently used of group models',
        });
        expect(await isListening(ports.whisper!)).toBe(false);
        expect(phase(await stack.status(), 'store').phase).toBe('healthy');

        // phi stays up while a user (another process: the worker runs in this one) holds a connection, and stops
        // 1.5 s after the last one closes.
        const user = spawn(process.execPath, [
          '-e',
          `require('net').connect(${ports.phi}, '127.0.0.1', () => console.log('connected')); setInterval(() => {}, 1000)`,
        ]);
        await new Promise((resolve) => user.stdout.once('data', resolve));
        await new Promise((resolve) => setTimeout(resolve, 3000));
        expect(phase(await stack.status(), 'phi').phase).toBe('healthy');
        const closedAt = Date.now();
        user.kill('SIGKILL');
        const idle = await waitFor('phi idle-stopped', async () => {
          const s = phase(await stack.status(), 'phi');
          return s.phase === 'idle-stopped' ? s : undefined;
        });
        expect(Date.now() - closedAt).toBeGreaterThanOrEqual(1500);
        expect(idle.message).toMatch(/^idle for 1s\d+ms: no connections to its ports$/);
        expect(await isListening(ports.phi!)).toBe(false);
        await expect(stack.start('gpu')).rejects.toThrow(
          /^service gpu is not on demand \(lazy\): it runs with the stack$/,
        );
        await stack.end('test over');
      });
    } finally {
      await client.close();
      for (const s of plan.services) await new ProcessDriver().stop({ plan: plan.name, bootId: '' }, s);
    }
  });
});
