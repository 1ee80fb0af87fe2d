import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import type { PlanAttributes } from '../contract/search-attributes';
import { updateWorkflowType, type UpdateInput, type UpdateOptions } from '../contract/update';
import { workflowTaskTimeout } from '../contract/workflows';
import type { ResolvedPlan } from '../plan/types';
import { snapshotFromAction, snapshotOf, type PlanSnapshot } from './plan-snapshot';
import { scheduledUpdateWorkflowId, scheduleMarker, updateScheduleId } from './schedule-ids';
import type { ScheduleTiming } from './schedule-request';
import { ScheduleExistsError, ScheduleRefusedError, UnknownScheduleError } from './schedule-errors';

export interface CreateUpdateScheduleOptions {
  /** Default `bootwave-update-<plan>`: one schedule per plan unless named otherwise. */
  id?: string;
  /** Options every update this schedule starts gets (boot options of added services, …). */
  update?: UpdateOptions;
  paused?: boolean;
  note?: string;
}

/** One of bootwave's update schedules, as `schedule list` shows it. */
export interface UpdateScheduleSummary {
  id: string;
  plan: string;
  /** `cron 0 3 * * *` or `every 1h`, as given at creation. */
  when: string;
  paused: boolean;
  note?: string;
  nextRun?: Date;
  lastRun?: Date;
}

/** `schedule describe`: the summary, what it runs, its policies and what it has done. */
export interface UpdateScheduleDetails extends UpdateScheduleSummary {
  snapshot?: PlanSnapshot;
  taskQueue: string;
  workflowId: string;
  workflowType: string;
  jitterMs?: number;
  timezone?: string;
  catchupWindowMs: number;
  pauseOnFailure: boolean;
  overlap: string;
  nextRuns: Date[];
  recent: { scheduledAt: Date; takenAt: Date; workflowId: string }[];
  running: string[];
  actionsTaken: number;
  skippedOverlap: number;
  missedCatchupWindow: number;
}

/** What `trigger` did: started an update, or skipped because one this schedule started still runs. */
export type TriggerOutcome = { started: string } | { skipped: string } | { pending: true };

/**
 * Scheduled rolling updates on Temporal Schedules: each schedule starts `updateWorkflow` with a snapshot of the
 * plan as its input, never two at once (overlap SKIP), and pauses itself after a failed update (by default).
 */
export class UpdateSchedules {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** The plan's search attribute for the schedule and its updates (none when the server lacks it). */
    private readonly planAttributes: (plan: string) => Promise<PlanAttributes>,
  ) {}

  async create(
    plan: ResolvedPlan,
    timing: ScheduleTiming,
    options: CreateUpdateScheduleOptions = {},
  ): Promise<UpdateScheduleHandle> {
    const id = options.id ?? updateScheduleId(plan.name);
    const searchAttributes = await this.planAttributes(plan.name);
    try {
      await this.client.schedule.create({
        scheduleId: id,
        spec: {
          ...(timing.cron ? { cronExpressions: [timing.cron] } : {}),
          ...(timing.everyMs ? { intervals: [{ every: timing.everyMs }] } : {}),
          ...(timing.jitterMs ? { jitter: timing.jitterMs } : {}),
          ...(timing.timezone ? { timezone: timing.timezone } : {}),
        },
        action: { ...updateAction(plan, this.taskQueue, options.update), ...searchAttributes },
        policies: {
          overlap: ScheduleOverlapPolicy.SKIP,
          catchupWindow: timing.catchupWindowMs,
          pauseOnFailure: timing.pauseOnFailure,
        },
        memo: {
          bootwave: scheduleMarker,
          plan: plan.name,
          when: timing.cron ? `cron ${timing.cron}` : `every ${String(timing.everyMs)}ms`,
        },
        ...searchAttributes,
        state: { paused: options.paused ?? false, ...(options.note ? { note: options.note } : {}) },
      });
    } catch (error) {
      if (error instanceof ScheduleAlreadyRunning) throw new ScheduleExistsError(id, { cause: error });
      const asked = timing.cron ? ` (cron "${timing.cron}")` : '';
      throw new ScheduleRefusedError(`Failed to create schedule ${id}${asked}: ${serverReason(error)}`, {
        cause: error,
      });
    }
    return this.get(id);
  }

  /** A handle by ID; whether it exists shows on first use (`UnknownScheduleError`). */
  get(id: string): UpdateScheduleHandle {
    return new UpdateScheduleHandle(this.client.schedule.getHandle(id), this.taskQueue);
  }

  /** bootwave's update schedules on this namespace (others are left out), by ID. */
  async list(): Promise<UpdateScheduleSummary[]> {
    const found: UpdateScheduleSummary[] = [];
    for await (const schedule of this.client.schedule.list()) {
      const memo = schedule.memo ?? {};
      if (memo.bootwave !== scheduleMarker) continue;
      found.push({
        id: schedule.scheduleId,
        plan: String(memo.plan),
        when: whenText(memo),
        paused: schedule.state.paused,
        ...(schedule.state.note ? { note: schedule.state.note } : {}),
        ...nextAndLast(schedule.info.nextActionTimes, schedule.info.recentActions),
      });
    }
    return found.sort((a, b) => a.id.localeCompare(b.id));
  }
}

export class UpdateScheduleHandle {
  constructor(
    private readonly handle: ScheduleHandle,
    private readonly taskQueue: string,
  ) {}

  get id(): string {
    return this.handle.scheduleId;
  }

  async describe(): Promise<UpdateScheduleDetails> {
    const d = await this.read();
    const memo = d.memo ?? {};
    return {
      id: d.scheduleId,
      plan: typeof memo.plan === 'string' ? memo.plan : '',
      when: whenText(memo),
      paused: d.state.paused,
      ...(d.state.note ? { note: d.state.note } : {}),
      ...nextAndLast(d.info.nextActionTimes, d.info.recentActions),
      // Made without bootwave (the Temporal CLI): the snapshot is as old as the schedule.
      snapshot: snapshotFromAction(d.action.args, {
        snapshotTakenAt: d.info.createdAt.toISOString(),
        ...d.action.memo,
      }),
      taskQueue: d.action.taskQueue,
      workflowId: d.action.workflowId ?? '',
      workflowType: d.action.workflowType,
      ...(d.spec.jitter ? { jitterMs: d.spec.jitter } : {}),
      ...(d.spec.timezone ? { timezone: d.spec.timezone } : {}),
      catchupWindowMs: d.policies.catchupWindow,
      pauseOnFailure: d.policies.pauseOnFailure,
      overlap: d.policies.overlap ?? 'unspecified',
      nextRuns: d.info.nextActionTimes,
      recent: d.info.recentActions.map((a) => ({
        scheduledAt: a.scheduledAt,
        takenAt: a.takenAt,
        workflowId: a.action.workflow.workflowId,
      })),
      running: d.info.runningActions.map((a) => a.workflow.workflowId),
      actionsTaken: d.info.numActionsTaken,
      skippedOverlap: d.info.numActionsSkippedOverlap,
      missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
    };
  }

  pause(note = 'paused with bootwave'): Promise<void> {
    return this.known(() => this.handle.pause(note));
  }

  unpause(note = 'unpaused with bootwave'): Promise<void> {
    return this.known(() => this.handle.unpause(note));
  }

  /**
   * Starts an update now, under the schedule's own overlap policy: skipped while an update this schedule started
   * still runs (Temporal's own trigger would allow both). Waits a few seconds for the server to say which.
   */
  async trigger(waitMs = 10_000): Promise<TriggerOutcome> {
    const before = await this.read();
    const running = before.info.runningActions[0]?.workflow.workflowId;
    await this.known(() => this.handle.trigger(ScheduleOverlapPolicy.SKIP));
    if (running) return { skipped: running };
    const known = new Set(before.info.recentActions.map((a) => a.action.workflow.workflowId));
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const after = await this.read();
      const started = after.info.recentActions.find((a) => !known.has(a.action.workflow.workflowId));
      if (started) return { started: started.action.workflow.workflowId };
      if (after.info.numActionsSkippedOverlap > before.info.numActionsSkippedOverlap) {
        const other = after.info.runningActions[0]?.workflow.workflowId;
        if (other) return { skipped: other };
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { pending: true };
  }

  /**
   * Replaces the plan snapshot the schedule runs (`schedule update`); when and how it runs stay. The plan's name
   * must stay the same: the schedule and the updates it starts are named after it.
   */
  async replacePlan(plan: ResolvedPlan, update?: UpdateOptions): Promise<PlanSnapshot> {
    const current = await this.describe();
    if (current.plan && current.plan !== plan.name)
      throw new ScheduleRefusedError(
        `schedule ${this.id} updates plan ${current.plan}, not ${plan.name}: create a schedule for ${plan.name} instead`,
      );
    const snapshot = snapshotOf(plan, Date.now());
    await this.known(() =>
      this.handle.update((previous) => {
        const previousInput = previous.action.args?.[0] as Partial<UpdateInput> | undefined;
        const options = update ?? previousInput?.options;
        return {
          ...previous,
          action: { ...previous.action, ...updateAction(plan, previous.action.taskQueue, options, snapshot) },
        };
      }),
    );
    return snapshot;
  }

  delete(): Promise<void> {
    return this.known(() => this.handle.delete());
  }

  private read(): Promise<ScheduleDescription> {
    return this.known(() => this.handle.describe());
  }

  /** An unknown ID reads as such, not as a gRPC error. */
  private async known<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) throw new UnknownScheduleError(this.id, { cause: error });
      throw error;
    }
  }
}

/** The schedule's action: start `updateWorkflow` with the plan as resolved now, on bootwave's task queue. */
function updateAction(
  plan: ResolvedPlan,
  taskQueue: string,
  update: UpdateOptions | undefined,
  snapshot: PlanSnapshot = snapshotOf(plan, Date.now()),
) {
  const input: UpdateInput = { plan, ...(update ? { options: update } : {}) };
  return {
    type: 'startWorkflow' as const,
    workflowType: updateWorkflowType,
    workflowId: scheduledUpdateWorkflowId(plan.name),
    taskQueue,
    args: [input],
    workflowTaskTimeout,
    memo: { plan: plan.name, snapshotTakenAt: snapshot.takenAt, snapshotHash: snapshot.hash },
  };
}

function whenText(memo: Record<string, unknown>): string {
  const when = typeof memo.when === 'string' ? memo.when : '';
  const every = /^every (\d+)ms$/.exec(when);
  return every ? `every ${formatMs(Number(every[1]))}` : when;
}

function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function nextAndLast(next: Date[], recent: { takenAt: Date }[]): { nextRun?: Date; lastRun?: Date } {
  const last = recent[recent.length - 1]?.takenAt;
  return { ...(next[0] ? { nextRun: next[0] } : {}), ...(last ? { lastRun: last } : {}) };
}

/** The server's own words (e.g. why a cron expression is invalid), without the SDK's prefix. */
function serverReason(error: unknown): string {
  let inner: unknown = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  const message = inner instanceof Error ? inner.message : String(inner);
  return message.replace(/^\d+ [A-Z_]+: /, '');
}
