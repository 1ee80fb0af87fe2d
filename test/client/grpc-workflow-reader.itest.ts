import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BootClient } from '../../src/client/boot-client';
import { BootUnansweredError, StackUnansweredError } from '../../src/client/client-errors';
import { grpcWorkflowReader, type GrpcWorkflowReader } from '../../src/client/grpc-workflow-reader';
import { readBootStatus, readStackStatus } from '../../src/client/read-status';
import { sdkWorkflowReader } from '../../src/client/sdk-workflow-reader';
import { isWorkflowNotFound } from '../../src/client/workflow-reader';
import { bootwaveDataConverter, bootwavePayloadCodec } from '../../src/codec/data-converter';
import { stackWorkflowId } from '../../src/contract/ids';
import { stackWorkflowType } from '../../src/contract/supervision';
import { workflowTypes } from '../../src/contract/workflows';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import type { ResolvedPlan } from '../../src/plan/types';
import { withWorker } from '../support/boot-worker';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WorkerProcess } from '../support/worker-process';

// `bootwave status` with no worker on the machine reads through its own gRPC client (no SDK loaded): it must read
// what the SDK's client reads, from the same server.
const drivers = { process: new ProcessDriver() };
const booted: ResolvedPlan[] = [];
const readers: GrpcWorkflowReader[] = [];
afterAll(async () => {
  for (const reader of readers) reader.close();
  for (const plan of booted)
    for (const s of plan.services) await drivers.process.stop({ plan: plan.name, bootId: '' }, s);
});

function reader(taskQueue: string, env: Record<string, string> = {}): GrpcWorkflowReader {
  const settings = { namespace: 'default', taskQueue };
  const made = grpcWorkflowReader(settings, requireTestEnv('address'), bootwavePayloadCodec(env, 'the test'));
  readers.push(made);
  return made;
}

it('reads a boot as the SDK reads it: live probe progress while it runs, its result once done; an unknown boot is not found', async () => {
  const { plan } = fixturePlan('grpc-read', ['only'], { slow: { args: ['--start-delay', '2000'] }, quick: {} });
  booted.push(plan);
  const taskQueue = uniqueTaskQueue('grpc-read');
  const grpc = reader(taskQueue);
  const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
  try {
    await withWorker({ taskQueue, drivers }, async () => {
      const handle = await client.start(plan, { workflowId: `grpc-read-${taskQueue}` });
      const probing = await waitFor('probe progress read through gRPC', async () =>
        (await readBootStatus(grpc, handle.workflowId)).services.find(
          (s) => s.name === 'slow' && s.probe && s.probe.attempts > 0,
        ),
      );
      expect(probing.phase).toBe('probing');
      expect(probing.probe?.lastOutput).toMatch(/ECONNREFUSED/);
      expect((await handle.result()).phase).toBe('succeeded');
      const done = await readBootStatus(grpc, handle.workflowId);
      expect(done).toMatchObject({ execution: 'completed', phase: 'succeeded' });
      expect(done).toEqual(await handle.status());
    });
    const unknown = await readBootStatus(grpc, `no-such-boot-${taskQueue}`).catch((error: unknown) => error);
    expect(isWorkflowNotFound(unknown)).toBe(true);
  } finally {
    await client.close();
  }
});

it('a boot that ended without a result: terminated with its reason, failed with its encrypted failure message', async () => {
  const key = `k:${randomBytes(32).toString('base64')}`;
  const taskQueue = uniqueTaskQueue('grpc-ended');
  const grpc = reader(taskQueue, { BOOTWAVE_CODEC_KEYS: key });
  const client = await BootClient.connect({
    address: requireTestEnv('address'),
    taskQueue,
    dataConverter: bootwaveDataConverter({ BOOTWAVE_CODEC_KEYS: key }),
  });
  const sdk = sdkWorkflowReader(client.client);
  const worker = await WorkerProcess.start({
    taskQueue,
    logFile: join(freshDir('grpc-ended'), 'worker.log'),
    env: { BOOTWAVE_CODEC_KEYS: key },
  });
  try {
    await worker.started();
    // Input the boot refuses: the workflow fails, its message encoded into an encrypted payload.
    const failed = await client.client.workflow.start(workflowTypes.boot, {
      taskQueue,
      workflowId: `grpc-failed-${taskQueue}`,
      args: [{ plan: { name: 'x' }, options: {} }],
      memo: { plan: 'x' },
    });
    await expect(failed.result()).rejects.toThrow();
    const { plan } = fixturePlan('grpc-ended', ['only'], { web: {} });
    const terminated = await client.start(plan, { workflowId: `grpc-terminated-${taskQueue}` });
    await terminated.workflow.terminate('stopped by the test');

    for (const id of [failed.workflowId, terminated.workflowId]) {
      const read = await readBootStatus(grpc, id);
      expect(read).toEqual(await readBootStatus(sdk, id));
    }
    const failedStatus = await readBootStatus(grpc, failed.workflowId);
    expect(failedStatus.execution).toBe('failed');
    expect(failedStatus.failure).toMatch(/^boot failed: invalid boot input \(\d+ problems\)/);
    expect((await readBootStatus(grpc, terminated.workflowId)).failure).toBe('boot terminated: stopped by the test');
  } finally {
    await client.close();
    await worker.stop();
  }
});

it('a running boot or stack whose task queue no worker has polled is unanswered at once, and says so', async () => {
  const taskQueue = uniqueTaskQueue('grpc-unpolled');
  const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
  const { plan } = fixturePlan('grpc-unpolled', ['only'], { web: {} });
  const stackId = stackWorkflowId(`grpc-stack-${taskQueue}`);
  // Started on a queue no worker polls: they stay running, unanswered.
  const boot = await client.start(plan, { workflowId: `grpc-unpolled-${taskQueue}` });
  const stack = await client.client.workflow.start(stackWorkflowType, { taskQueue, workflowId: stackId, args: [{}] });
  const startOne = `Start one on its task queue: \`bootwave worker\` with BOOTWAVE_TASK_QUEUE=${taskQueue}`;
  try {
    for (const read of [reader(taskQueue), sdkWorkflowReader(client.client)]) {
      const unansweredBoot = readBootStatus(read, boot.workflowId);
      await expect(unansweredBoot).rejects.toBeInstanceOf(BootUnansweredError);
      await expect(unansweredBoot).rejects.toThrow(
        `${boot.workflowId} is running, but no worker has polled its task queue lately: nothing runs the boot now. ${startOne}`,
      );
      const unansweredStack = readStackStatus(read, stackId, 60_000);
      await expect(unansweredStack).rejects.toBeInstanceOf(StackUnansweredError);
      await expect(unansweredStack).rejects.toThrow(
        `${stackId} is running, but no worker has polled its task queue lately: nothing watches the stack now. ${startOne}`,
      );
    }
  } finally {
    await boot.workflow.terminate('end of test');
    await stack.terminate('end of test');
    await client.close();
  }
});
