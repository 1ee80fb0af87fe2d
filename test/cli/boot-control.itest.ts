import { BootClient } from '../../src/client/boot-client';
import { defaultBootOptions } from '../../src/plan/boot-input';
import { planSearchAttribute } from '../../src/contract/search-attributes';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { runCli } from './capture-io';

// `bootwave list` and `status` for boots that ended on the server without a result. No worker polls the task
// queue: the boots never run, one is terminated and one times out.
let client: BootClient;
beforeAll(async () => {
  process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('cli-ended');
  client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue: process.env.BOOTWAVE_TASK_QUEUE });
});
afterAll(() => client?.close());
afterEach(() => {
  process.exitCode = undefined;
});

const cli = runCli;

it('list and status say that a boot was terminated or timed out', async () => {
  const { plan } = fixturePlan(uniqueTaskQueue('ended'), ['only'], { web: {} });
  const terminated = await client.start(plan, { workflowId: `${plan.name}-terminated` });
  await terminated.workflow.terminate('from the test');
  const timedOutId = `${plan.name}-timed-out`;
  const timedOut = await client.client.workflow.start('bootWorkflow', {
    taskQueue: client.taskQueue,
    workflowId: timedOutId,
    args: [{ plan, options: defaultBootOptions }],
    memo: { plan: plan.name },
    typedSearchAttributes: [{ key: planSearchAttribute, value: plan.name }],
    workflowExecutionTimeout: '1s',
  });
  await waitFor('the boot timed out', async () =>
    (await timedOut.describe()).status.name === 'TIMED_OUT' ? true : undefined,
  );

  const iso = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
  const listed = await waitFor('both boots listed as ended', async () => {
    const result = await cli('list', '--plan', plan.name);
    return result.out.includes('timed out') && result.out.includes('terminated') ? result : undefined;
  });
  expect(listed.code).toBe(0);
  expect(listed.out.split('\n').sort()).toEqual([
    // Aligned columns: the IDs differ by one character, the outcomes too.
    expect.stringMatching(
      new RegExp(`^${plan.name}-terminated  terminated  started ${iso}  ended ${iso}  ${plan.name}$`),
    ),
    expect.stringMatching(new RegExp(`^${timedOutId}   timed out   started ${iso}  ended ${iso}  ${plan.name}$`)),
  ]);

  for (const [id, text] of [
    [terminated.workflowId, 'terminated'],
    [timedOutId, 'timed out'],
  ]) {
    const status = await cli('status', plan.name, '--id', id!);
    // No worker answers for these closed boots: the frame says how the boot ended and that its services are unknown.
    expect(status).toEqual({
      code: 1,
      out: [
        `boot ${id} · dag · on failure rollback · ${text}`,
        `  boot ${text}: ${text === 'terminated' ? 'from the test' : 'Workflow execution timed out'}`,
        '  services: unknown (no worker answered for this closed boot)',
      ].join('\n'),
      err: expect.stringMatching(
        new RegExp(
          `^boot ${id} ${text} at ${iso} without a final status; what it started may still run \\(\`bootwave down\` stops it\\)$`,
        ),
      ),
    });
  }
});
