import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { composeFileOption, planArgument } from '../plan-and-profiles';

export interface ScheduleCreateFlags {
  cron?: string;
  every?: string;
  jitter?: string;
  catchupWindow?: string;
  pauseOnFailure: boolean;
  timezone?: string;
  id?: string;
  paused?: boolean;
  profile?: string[];
  file?: string[];
}

/** `schedule create|list|describe|pause|unpause|trigger|update|delete`: rolling updates on Temporal Schedules. */
export function registerSchedule(program: Command, io: CliIo): void {
  const schedule = program
    .command('schedule')
    .description('scheduled rolling updates (Temporal Schedules that start updateWorkflow with a plan snapshot)');
  composeFileOption(schedule.command('create [plan]'))
    .description('schedule updates of a plan, as resolved now (a snapshot: later edits need `schedule update`)')
    .option('--cron <expression>', "when, as cron (e.g. '0 3 * * *', UTC unless --timezone)")
    .option('--every <duration>', 'when, as an interval (e.g. 30m, 1h)')
    .option('--jitter <duration>', 'start each update up to this much later, at random')
    .option('--catchup-window <duration>', 'after a server outage, still take firings missed by at most this', '10m')
    .option('--no-pause-on-failure', 'keep the schedule running after a failed update (default: pause it)')
    .option('--timezone <name>', 'IANA time zone of --cron (e.g. Europe/Berlin)')
    .option('--id <id>', 'schedule ID (default bootwave-update-<plan>)')
    .option('--paused', 'create it paused')
    .option('--profile <name...>', 'include the services of these profiles')
    .action(async (given: string | undefined, flags: ScheduleCreateFlags) => {
      const argument = planArgument('schedule create', given, flags, io);
      if (!argument) return;
      const { create } = await import('./schedule-run.js');
      process.exitCode = await create(argument.source, argument.flags, io);
    });
  schedule
    .command('list')
    .description("bootwave's update schedules: plan, when, state, next and last run")
    .option('--json', 'as JSON')
    .action(async (flags: { json?: boolean }) => {
      const { list } = await import('./schedule-run.js');
      process.exitCode = await list(flags, io);
    });
  schedule
    .command('describe <id>')
    .description('what a schedule runs (its plan snapshot), when, its policies and recent updates')
    .option('--json', 'as JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const { describe } = await import('./schedule-run.js');
      process.exitCode = await describe(id, flags, io);
    });
  for (const [name, text] of [
    ['pause', 'pause a schedule (no updates start until unpaused)'],
    ['unpause', 'unpause a schedule'],
  ] as const)
    schedule
      .command(`${name} <id>`)
      .description(text)
      .option('--note <text>', 'why (shown by describe, list and the Web UI)')
      .action(async (id: string, flags: { note?: string }) => {
        const { setPaused } = await import('./schedule-run.js');
        process.exitCode = await setPaused(id, name === 'pause', flags.note, io);
      });
  schedule
    .command('trigger <id>')
    .description('start an update now (skipped while an update of this schedule still runs)')
    .action(async (id: string) => {
      const { trigger } = await import('./schedule-run.js');
      process.exitCode = await trigger(id, io);
    });
  composeFileOption(schedule.command('update <id> [plan]'))
    .description('replace the plan snapshot a schedule runs with the plan as resolved now; timing and state stay')
    .option('--profile <name...>', 'include the services of these profiles')
    .action(async (id: string, given: string | undefined, flags: { profile?: string[]; file?: string[] }) => {
      const argument = planArgument('schedule update', given, flags, io);
      if (!argument) return;
      const { replacePlan } = await import('./schedule-run.js');
      process.exitCode = await replacePlan(id, argument.source, argument.flags, io);
    });
  schedule
    .command('delete <id>')
    .description('delete a schedule (updates it started keep running)')
    .action(async (id: string) => {
      const { remove } = await import('./schedule-run.js');
      process.exitCode = await remove(id, io);
    });
}
