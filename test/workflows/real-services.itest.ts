import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { loadPlan } from '../../src/plan/load-plan';
import type { ResolvedPlan } from '../../src/plan/types';
import { withWorker } from '../support/boot-worker';
import { isListening } from '../support/net';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';

const planFile = join(__dirname, '..', '..', 'examples', 'real-services', 'plan.yaml');
const drivers = { process: new ProcessDriver() };
let plan: ResolvedPlan;

beforeAll(() => {
  // PostgreSQL runs as the postgres user, which must be able to reach its data folder.
  const pgParent = mkdtempSync(join(tmpdir(), 'bootwave-pg-'));
  chmodSync(pgParent, 0o755);
  const result = loadPlan(planFile, { env: { ...process.env, BOOTWAVE_PGDATA: join(pgParent, 'data') } });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  plan = result.plan;
});

afterAll(async () => {
  for (const service of [...plan.services].reverse())
    await drivers.process.stop({ plan: plan.name, bootId: '' }, service);
});

describe('real services from Debian packages', () => {
  it('boots Redis, PostgreSQL and NATS gated by their real checks, and stops them', async () => {
    const taskQueue = uniqueTaskQueue('real');
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    const result = await withWorker({ taskQueue, drivers }, async () =>
      (await client.start(plan, { workflowId: `real-services-${taskQueue}` })).result(),
    );
    await client.close();
    expect(result.phase).toBe('succeeded');
    const phases = Object.fromEntries(result.services.map((s) => [s.name, s.phase]));
    expect(phases).toEqual({ redis: 'healthy', 'postgres-init': 'completed', postgres: 'healthy', nats: 'healthy' });
    expect(result.services.find((s) => s.name === 'redis')?.lastOutput).toContain('+PONG');
    expect(result.services.find((s) => s.name === 'postgres')?.lastOutput).toBe('all 2 checks pass');

    for (const service of [...plan.services].reverse())
      await drivers.process.stop({ plan: plan.name, bootId: '' }, service);
    for (const port of [18401, 18402, 18403, 18404])
      expect({ port, listening: await isListening(port) }).toEqual({ port, listening: false });
  });
});
