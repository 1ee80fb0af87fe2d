import { ScheduleExistsError, ScheduleRefusedError, UnknownScheduleError } from '../../schedules/schedule-errors';
import { checkScheduleRequest } from '../../schedules/schedule-request';
import { runsOutsideWindows, scheduleDescribeLines, scheduleListLines } from '../../schedules/schedule-text';
import type { UpdateOptions } from '../../contract/update';
import type { CliIo } from '../cli-io';
import { withCommandConnection, type CommandConnection } from '../connect-for-command';
import { loadBootForCli, type LoadedBoot } from '../load-plan-for-cli';
import type { PlanSource } from '../plan-and-profiles';
import type { ScheduleCreateFlags } from './schedule';

/** `schedule create <plan>`: nothing is created from an invalid plan or invalid flags. */
export async function create(source: PlanSource, flags: ScheduleCreateFlags, io: CliIo): Promise<number> {
  const checked = checkScheduleRequest(flags);
  if ('problems' in checked) {
    for (const problem of checked.problems) io.err(`bootwave: ${problem}`);
    return io.fail('no schedule was created');
  }
  const loaded = loadBootForCli(source, flags.profile, io, 'no schedule was created');
  if (!loaded) return 1;
  return run(io, async ({ client }) => {
    const handle = await client.schedules.create(loaded.plan, checked.timing, {
      ...(flags.id ? { id: flags.id } : {}),
      ...updateOptionsOf(loaded),
      ...(flags.paused ? { paused: true } : {}),
    });
    const d = await handle.describe();
    io.out(
      `schedule ${d.id} created: ${d.when}, runs ${d.workflowType} of plan ${loaded.plan.name} as resolved now ` +
        `(snapshot ${d.snapshot?.hash ?? '?'} of ${loaded.plan.source})`,
    );
    io.out(`next: ${d.paused ? '— (paused)' : (d.nextRuns[0]?.toISOString() ?? '—')}`);
    for (const warning of runsOutsideWindows(loaded.plan.update?.maintenance, d.nextRuns)) io.err(warning);
    return 0;
  });
}

export function list(flags: { json?: boolean }, io: CliIo): Promise<number> {
  return run(io, async ({ client }) => {
    const schedules = await client.schedules.list();
    if (flags.json) io.out(JSON.stringify(schedules, null, 2));
    else for (const line of scheduleListLines(schedules)) io.out(line);
    return 0;
  });
}

export function describe(id: string, flags: { json?: boolean }, io: CliIo): Promise<number> {
  return run(io, async ({ client }) => {
    const details = await client.schedules.get(id).describe();
    if (flags.json) io.out(JSON.stringify(details, null, 2));
    else for (const line of scheduleDescribeLines(details)) io.out(line);
    return 0;
  });
}

export function setPaused(id: string, pause: boolean, note: string | undefined, io: CliIo): Promise<number> {
  return run(io, async ({ client }) => {
    const handle = client.schedules.get(id);
    await (pause ? handle.pause(note) : handle.unpause(note));
    io.out(`schedule ${id} ${pause ? 'paused' : 'unpaused'}${note ? `: ${note}` : ''}`);
    return 0;
  });
}

export function trigger(id: string, io: CliIo): Promise<number> {
  return run(io, async ({ client }) => {
    const outcome = await client.schedules.get(id).trigger();
    if ('started' in outcome) io.out(`schedule ${id} started update ${outcome.started}`);
    else if ('skipped' in outcome)
      io.out(`schedule ${id} skipped the trigger: update ${outcome.skipped} still runs (overlap policy skip)`);
    else io.out(`schedule ${id} triggered; the server has not started the update yet`);
    return 0;
  });
}

export async function replacePlan(
  id: string,
  source: PlanSource,
  flags: { profile?: string[] },
  io: CliIo,
): Promise<number> {
  const loaded = loadBootForCli(source, flags.profile, io, 'no schedule was changed');
  if (!loaded) return 1;
  return run(io, async ({ client }) => {
    const snapshot = await client.schedules.get(id).replacePlan(loaded.plan, updateOptionsOf(loaded).update);
    io.out(
      `schedule ${id} now runs plan ${snapshot.plan} as resolved from ${snapshot.source} at ${snapshot.takenAt} ` +
        `(snapshot ${snapshot.hash}, ${snapshot.services} services)`,
    );
    return 0;
  });
}

export function remove(id: string, io: CliIo): Promise<number> {
  return run(io, async ({ client }) => {
    await client.schedules.get(id).delete();
    io.out(`schedule ${id} deleted (updates it started keep running)`);
    return 0;
  });
}

/** A Compose file's `x-bootwave` boot options go with every update the schedule starts (for added services). */
function updateOptionsOf(loaded: LoadedBoot): { update?: UpdateOptions } {
  return Object.keys(loaded.bootOptions).length > 0 ? { update: { boot: loaded.bootOptions } } : {};
}

/** Connects, runs, and turns bootwave's schedule errors into one clear line (no stack trace). */
async function run(io: CliIo, fn: (connection: CommandConnection) => Promise<number>): Promise<number> {
  try {
    return await withCommandConnection(io, {}, fn);
  } catch (error) {
    if (
      error instanceof ScheduleExistsError ||
      error instanceof UnknownScheduleError ||
      error instanceof ScheduleRefusedError
    )
      return io.fail(error.message);
    throw error;
  }
}
