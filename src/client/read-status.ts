import type { ProbeProgress } from '../contract/activities';
import { probeActivityId } from '../contract/ids';
import { queryNames } from '../contract/query-names';
import type { BootStatus, ServiceStatus } from '../contract/status';
import type { StackStatus } from '../contract/supervision';
import { defaultBootOptions } from '../plan/boot-input';
import { BootUnansweredError, StackUnansweredError } from './client-errors';
import { isWorkflowNotFound, type ExecutionState, type WorkflowReader } from './workflow-reader';

export type { ExecutionState } from './workflow-reader';

/** Live detail of a probing service: "stage 2 of 5 (models_loaded), 14 attempts, HTTP 503 …". */
export interface LiveServiceStatus extends ServiceStatus {
  probe?: ProbeProgress;
}

export interface LiveBootStatus extends BootStatus {
  services: LiveServiceStatus[];
  /** The Temporal execution's state: `terminated` or `timed-out` boots never finished their own phase. */
  execution?: ExecutionState;
  /** True when no worker answered for a closed boot: the services shown are unknown. */
  stale?: boolean;
}

/**
 * A boot's status with live detail from running waves and their probes' heartbeats, and the state of the
 * execution itself: a terminated or timed-out boot reads as such, never as running.
 */
export async function readBootStatus(
  reader: WorkflowReader,
  workflowId: string,
  runId?: string,
): Promise<LiveBootStatus> {
  const description = await reader.describe(workflowId, runId);
  const { execution } = description;
  // A finished boot's status is its result, readable from history even when no worker runs.
  if (execution !== 'running') {
    const outcome = await reader.outcome(workflowId, runId);
    if (outcome.completed) return { ...(outcome.result as BootStatus), execution: 'completed' };
    return closedStatus(reader, workflowId, runId, execution, outcome.why, description);
  }
  // A boot no worker runs answers no query: say so at once rather than wait for the server to give up (30 s).
  const noWorker = await whyNoWorker(reader, description.taskQueue);
  if (noWorker)
    throw new BootUnansweredError(
      `${workflowId} is running, but ${noWorker}: nothing runs the boot now. ${startOne(description.taskQueue)}`,
    );
  const status = (await reader.query(workflowId, runId, queryNames.bootStatus)) as BootStatus;
  const byName = new Map(status.services.map((s) => [s.name, s as LiveServiceStatus]));
  await Promise.all(
    status.waves
      .filter((wave) => wave.phase === 'running')
      .map(async (wave) => {
        try {
          const live = (await reader.query(wave.workflowId, undefined, queryNames.waveStatus)) as {
            services: ServiceStatus[];
          };
          for (const service of live.services) byName.set(service.name, service);
          if (live.services.some((s) => s.phase === 'probing')) await addProbeProgress(reader, wave.workflowId, byName);
        } catch (error) {
          if (!isWorkflowNotFound(error)) throw error;
        }
      }),
  );
  return { ...status, execution, services: [...byName.values()] };
}

/**
 * A boot whose execution ended without a result (terminated, timed out, failed): why, from its history, and its
 * last state when a worker answers the query within a few seconds (it replays the history to do so).
 */
async function closedStatus(
  reader: WorkflowReader,
  workflowId: string,
  runId: string | undefined,
  execution: ExecutionState,
  why: string,
  { closeTime, memo }: { closeTime?: Date; memo: Record<string, unknown> },
): Promise<LiveBootStatus> {
  const last = (await reader.query(workflowId, runId, queryNames.bootStatus, 3_000).catch(() => undefined)) as
    BootStatus | undefined;
  const base: BootStatus = last ?? {
    // What the starter recorded in the memo; the services are unknown without a worker's answer.
    plan: typeof memo.plan === 'string' ? memo.plan : '',
    bootId: '',
    workflowId,
    strategy: memo.strategy === 'waves' ? 'waves' : defaultBootOptions.strategy,
    onFailure: (['halt', 'continue'] as const).find((p) => p === memo.onFailure) ?? defaultBootOptions.onFailure,
    phase: 'failed',
    paused: false,
    cancelRequested: false,
    waves: [],
    services: [],
    startedAtMs: 0,
  };
  return {
    ...base,
    execution,
    failure: `boot ${execution.replace(/-/g, ' ')}${why ? `: ${why}` : ''}`,
    ...(closeTime ? { finishedAtMs: closeTime.getTime() } : {}),
    ...(last ? {} : { stale: true }),
  };
}

async function addProbeProgress(
  reader: WorkflowReader,
  waveWorkflowId: string,
  byName: Map<string, LiveServiceStatus>,
): Promise<void> {
  const { pendingActivities } = await reader.describe(waveWorkflowId);
  for (const pending of pendingActivities) {
    const service = [...byName.values()].find((s) => pending.activityId === probeActivityId(s.name));
    if (service && pending.heartbeat !== undefined) service.probe = pending.heartbeat as ProbeProgress;
  }
}

/**
 * How long a live worker may go between polls of its queue as the server records them: a poll is held up to a
 * minute when there is nothing to do. Generous, for a server whose clock is a little off.
 */
const pollGapMs = 90_000;

/**
 * Why no worker will answer on `taskQueue`, when the server's record of its pollers says so; undefined when one
 * polled lately, or when the server cannot tell (the query then decides).
 */
async function whyNoWorker(reader: WorkflowReader, taskQueue: string): Promise<string | undefined> {
  let polled: Date | undefined;
  try {
    polled = await reader.lastPolledAt(taskQueue);
  } catch {
    return undefined;
  }
  if (polled && Date.now() - polled.getTime() <= pollGapMs) return undefined;
  return polled
    ? `no worker has polled its task queue since ${polled.toISOString()}`
    : 'no worker has polled its task queue lately';
}

const startOne = (taskQueue: string) =>
  `Start one on its task queue: \`bootwave worker\` with BOOTWAVE_TASK_QUEUE=${taskQueue}`;

/**
 * A stack's live state while it runs, as a worker answers it; its result once supervision has ended (readable with
 * no worker). A running stack that no worker answers within `answerWithinMs` is a `StackUnansweredError` (the
 * server would otherwise hold the query for its own timeout, ~30 s, and then fail it without saying why); so is one
 * whose task queue no worker has polled lately, at once, without waiting for an answer none will give.
 */
export async function readStackStatus(
  reader: WorkflowReader,
  workflowId: string,
  answerWithinMs = 5_000,
): Promise<StackStatus> {
  const { execution, taskQueue, runId } = await reader.describe(workflowId);
  if (execution === 'completed') {
    const outcome = await reader.outcome(workflowId, runId);
    if (outcome.completed) return outcome.result as StackStatus;
  }
  const unanswered = (why: string, cause?: unknown) =>
    new StackUnansweredError(
      `${workflowId} is ${execution.replace(/-/g, ' ')}, but ${why}: nothing watches the stack now. ${startOne(taskQueue)}`,
      cause === undefined ? {} : { cause },
    );
  const noWorker = await whyNoWorker(reader, taskQueue);
  if (noWorker) throw unanswered(noWorker);
  try {
    return (await reader.query(workflowId, runId, queryNames.stackStatus, answerWithinMs)) as StackStatus;
  } catch (error) {
    if (isWorkflowNotFound(error)) throw error;
    throw unanswered(`no worker answered within ${answerWithinMs / 1000} s`, error);
  }
}
