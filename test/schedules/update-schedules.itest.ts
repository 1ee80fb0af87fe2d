import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { runCli } from '../cli/capture-io';
import { planSearchAttribute } from '../../src/contract/search-attributes';
import type { UpdateInput } from '../../src/contract/update';
import { loadPlan } from '../../src/plan/load-plan';
import { withStandInUpdateWorker } from '../support/stand-in-update-worker';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { triggerUpdate } from '../support/schedule-trigger';
import { finishStandInUpdate } from '../support/update-stand-in-workflows';
import { waitFor } from '../support/wait-for';

// Schedules start `updateWorkflow` by type name; the worker here runs a stand-in of it (test/support) that holds
// like a running update until signalled, so overlapping firings can be seen.
let client: Client;
beforeAll(async () => {
  process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
  client = await testClient();
});
afterAll(async () => {
  delete process.env.SCHEDULE_GREETING;
  delete process.env.BOOTWAVE_TASK_QUEUE;
  await client?.connection.close();
});
afterEach(() => {
  process.exitCode = undefined;
});

/** A plan file with a value from the environment, to show the schedule holds the plan as resolved at creation. */
function planFile(name: string, services: string[]): string {
  const file = join(freshDir(name), 'plan.yaml');
  planFileAt(file, name, services);
  return file;
}

/** The input a started workflow recorded in its history (its first event). */
async function startedInput(workflowId: string): Promise<UpdateInput> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return client.options.loadedDataConverter.payloadConverter.fromPayload<UpdateInput>(payload!);
}

function uniqueName(prefix: string): string {
  return uniqueTaskQueue(prefix);
}

it('create, list, describe, trigger (with the snapshot as input), skip while running, pause, update, delete', async () => {
  const name = uniqueName('sched');
  const id = `bootwave-update-${name}`;
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('sched-q');
  const file = planFile(name, ['api']);
  await withStandInUpdateWorker(process.env.BOOTWAVE_TASK_QUEUE, async () => {
    process.env.SCHEDULE_GREETING = 'at-creation';
    const created = await runCli('schedule', 'create', file, '--cron', '0 3 * * *', '--jitter', '5m');
    process.env.SCHEDULE_GREETING = 'later';
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(
      new RegExp(
        `^schedule ${id} created: cron 0 3 \\* \\* \\*, runs updateWorkflow of plan ${name} as resolved now ` +
          `\\(snapshot [0-9a-f]{12} of ${file}\\)\\nnext: \\d{4}-\\d\\d-\\d\\dT0[3-4]:\\d\\d:\\d\\d\\.\\d{3}Z$`,
      ),
    );

    const again = await runCli('schedule', 'create', file, '--every', '1h');
    expect(again).toEqual({
      code: 1,
      out: '',
      err: `bootwave: schedule ${id} already exists: \`bootwave schedule update ${id} <plan>\` replaces its plan, \`bootwave schedule delete ${id}\` removes it, --id names another`,
    });

    const listed = await waitFor('the schedule is listed', async () => {
      const result = await runCli('schedule', 'list');
      return result.out.includes(id) ? result : undefined;
    });
    expect(listed.out.split('\n').find((line) => line.startsWith(id))).toMatch(
      new RegExp(`^${id}  ${name}  cron 0 3 \\* \\* \\*  active  next \\d{4}-\\S+Z  last —`),
    );

    const described = await runCli('schedule', 'describe', id);
    expect(described.code).toBe(0);
    const lines = described.out.split('\n');
    expect(lines[0]).toBe(`schedule ${id} · active`);
    expect(lines[1]).toMatch(
      new RegExp(
        `^  runs: updateWorkflow of plan ${name} \\(1 service\\) as resolved from ${file} at \\S+Z \\(snapshot [0-9a-f]{12}\\)$`,
      ),
    );
    expect(lines).toContain(`  on: task queue ${process.env.BOOTWAVE_TASK_QUEUE}, workflow IDs ${id}-<scheduled time>`);
    expect(lines).toContain('  when: cron 0 3 * * * · jitter 5m');
    expect(lines).toContain('  policies: overlap skip · catch-up window 10m · pauses after a failed update');

    const startedId = await triggerUpdate(client, id);
    expect(startedId).toMatch(new RegExp(`^${id}-\\d{4}-`));
    const input = await startedInput(startedId!);
    const snapshot = loadPlan(file, { env: { SCHEDULE_GREETING: 'at-creation' } });
    if (!snapshot.ok) throw new Error('fixture plan does not load');
    expect(input).toEqual({ plan: snapshot.plan });
    expect(input.plan.services[0]!.target).toMatchObject({ command: ['node', '-e', 'at-creation'] });
    // The Web UI and `bootwave list --plan` find the update by the plan's search attribute.
    const started = await client.workflow.getHandle(startedId!).describe();
    expect(started.typedSearchAttributes.get(planSearchAttribute)).toBe(name);
    expect(started.memo).toMatchObject({ plan: name });

    // The first update still runs (the stand-in holds until signalled): a second trigger is skipped.
    const skipped = await runCli('schedule', 'trigger', id);
    expect(skipped.out).toBe(
      `schedule ${id} skipped the trigger: update ${startedId} still runs (overlap policy skip)`,
    );
    await client.workflow.getHandle(startedId!).signal(finishStandInUpdate);
    expect(await client.workflow.getHandle(startedId!).result()).toEqual({ plan: name, services: 1 });

    expect(await runCli('schedule', 'pause', id, '--note', 'freeze week')).toMatchObject({
      code: 0,
      out: `schedule ${id} paused: freeze week`,
    });
    const paused = await runCli('schedule', 'describe', id);
    expect(paused.out.split('\n')[0]).toBe(`schedule ${id} · paused · note: freeze week`);
    expect(paused.out).toContain('  next: — (paused)');
    expect((await runCli('schedule', 'unpause', id)).out).toBe(`schedule ${id} unpaused`);
    expect((await runCli('schedule', 'describe', id)).out.split('\n')[0]).toMatch(
      new RegExp(`^schedule ${id} · active`),
    );

    // `schedule update` replaces the snapshot: the next update runs the edited plan.
    planFileAt(file, name, ['api', 'worker']);
    const replaced = await runCli('schedule', 'update', id, file);
    expect(replaced.out).toMatch(
      new RegExp(
        `^schedule ${id} now runs plan ${name} as resolved from ${file} at \\S+Z \\(snapshot [0-9a-f]{12}, 2 services\\)$`,
      ),
    );
    expect((await runCli('schedule', 'describe', id)).out).toContain(`of plan ${name} (2 services)`);
    const other = planFile(`${name}-other`, ['api']);
    expect(await runCli('schedule', 'update', id, other)).toEqual({
      code: 1,
      out: '',
      err: `bootwave: schedule ${id} updates plan ${name}, not ${name}-other: create a schedule for ${name}-other instead`,
    });
    // What the next update will run: the schedule's own action holds the new snapshot as its input.
    const action = (await client.schedule.getHandle(id).describe()).action as { args?: unknown[] };
    const next = action.args?.[0] as UpdateInput;
    expect(next.plan.services.map((s) => s.name).sort()).toEqual(['api', 'worker']);

    expect(await runCli('schedule', 'delete', id)).toMatchObject({ code: 0 });
    expect(await runCli('schedule', 'describe', id)).toEqual({
      code: 1,
      out: '',
      err: `bootwave: no schedule ${id} on this server (\`bootwave schedule list\` shows them)`,
    });
  });
}, 400_000);

/** Writes (or rewrites) the plan file. */
function planFileAt(file: string, name: string, services: string[]): void {
  const entries = services.map(
    (service) => `  ${service}: { process: { command: [node, -e, '\${SCHEDULE_GREETING:-hello}'] } }`,
  );
  writeFileSync(file, [`name: ${name}`, 'services:', ...entries, ''].join('\n'));
}

it('an invalid cron expression is refused with the reason, and nothing is created', async () => {
  const name = uniqueName('sched-bad');
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('sched-bad-q');
  const file = planFile(name, ['api']);
  const result = await runCli('schedule', 'create', file, '--cron', '61 * * * *');
  expect(result.code).toBe(1);
  expect(result.out).toBe('');
  expect(result.err).toBe(
    `bootwave: Failed to create schedule bootwave-update-${name} (cron "61 * * * *"): Minute is not in range [0-59]`,
  );
  expect((await runCli('schedule', 'describe', `bootwave-update-${name}`)).err).toBe(
    `bootwave: no schedule bootwave-update-${name} on this server (\`bootwave schedule list\` shows them)`,
  );
  const flags = await runCli('schedule', 'create', file, '--every', 'soon');
  expect(flags).toEqual({
    code: 1,
    out: '',
    err: 'bootwave: --every: invalid duration "soon": expected e.g. 30s, 10m, 1h, 1h30m\nbootwave: no schedule was created',
  });
});

it("warns when the schedule's runs fall outside the plan's maintenance windows, and describe shows them", async () => {
  const name = uniqueName('sched-win');
  const id = `bootwave-update-${name}`;
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('sched-win-q');
  const file = join(freshDir(name), 'plan.yaml');
  writeFileSync(
    file,
    [
      `name: ${name}`,
      "update: { windows: [{ days: [sat, sun], start: '01:00', duration: 1h }], outsideWindow: skip }",
      'services:',
      '  api: { process: { command: [node, -e, ""] } }',
      '',
    ].join('\n'),
  );
  const created = await runCli('schedule', 'create', file, '--cron', '0 3 * * *');
  try {
    expect(created.code).toBe(0);
    const warnings = created.err.split('\n');
    expect(warnings).toHaveLength(3);
    for (const warning of warnings)
      expect(warning).toMatch(
        /^warning: the run at \S+T03:00:00\.000Z is outside the plan's update windows \(sun,sat 01:00 UTC for 1h · outside them: skip\): that update will be skipped$/,
      );
    expect((await runCli('schedule', 'describe', id)).out).toContain(
      '  windows: sun,sat 01:00 UTC for 1h · outside them: skip',
    );
  } finally {
    await runCli('schedule', 'delete', id);
  }
});

it('a one-minute cron fires on its own, and skips the next minute while that update still runs', async () => {
  const name = uniqueName('sched-cron');
  const id = `bootwave-update-${name}`;
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('sched-cron-q');
  const file = planFile(name, ['api']);
  await withStandInUpdateWorker(process.env.BOOTWAVE_TASK_QUEUE, async () => {
    expect((await runCli('schedule', 'create', file, '--cron', '* * * * *')).code).toBe(0);
    const handle = client.schedule.getHandle(id);
    try {
      // Waits for the clock, not a timed assertion: the first firing comes at the next minute.
      const first = await waitFor(
        'the cron fired',
        async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId,
        75_000,
      );
      expect((await startedInput(first)).plan.name).toBe(name);
      const skipped = await waitFor(
        'the next minute skipped',
        async () => {
          const info = (await handle.describe()).info;
          return info.numActionsSkippedOverlap > 0 ? info : undefined;
        },
        75_000,
      );
      expect(skipped.numActionsTaken).toBe(1);
      expect(skipped.recentActions.map((a) => a.action.workflow.workflowId)).toEqual([first]);
      expect(skipped.runningActions.map((a) => a.workflow.workflowId)).toEqual([first]);
      const described = await runCli('schedule', 'describe', id);
      expect(described.out).toContain(`  taken: 1 · skipped while an update ran: ${skipped.numActionsSkippedOverlap}`);
      await client.workflow.getHandle(first).signal(finishStandInUpdate);
    } finally {
      await handle.delete();
    }
  });
}, 200_000);
