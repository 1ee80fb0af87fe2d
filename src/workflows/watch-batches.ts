import {
  ActivityCancellationType,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
} from '@temporalio/workflow';
import type {
  SupervisionActivities,
  WatchMember,
  WatchProgress,
  WatchServiceResult,
  WatchServicesResult,
} from '../contract/supervision';
import { watchBatchOptions } from './activity-options';
import { describeFailure } from './failure-message';

/** What a member's watch ends with: a change, the end of a window, or why it cannot be watched. */
export type BatchOutcome = WatchServiceResult | { kind: 'not-watched'; reason: string };

interface Membership {
  member: WatchMember;
  settle(outcome: BatchOutcome | undefined): void;
}

/** One task queue's batch: who is in it, their counters, and the activity running now. */
interface QueueBatch {
  members: Map<string, Membership>;
  progress: Map<string, WatchProgress>;
  running?: CancellationScope;
  done: Promise<void>;
}

/**
 * The stack's watches, one activity per task queue (per worker host) for all the services watched there. A service
 * joins with `watch` and is answered once, with its change; joining or leaving cancels the running activity, which
 * answers with every member's counters, and the next one starts with the new members. The workflow's side of
 * `watchServices`.
 */
export class WatchBatches {
  private readonly queues = new Map<string, QueueBatch>();
  private closed = false;

  /** The stack's plan and boot as they are when a batch starts (an update may change the plan). */
  constructor(private readonly stack: { plan: () => string; bootId: () => string; windowMs: number }) {}

  /** Watches a service; resolves with its change, or undefined once `callOff` (or `close`) took it out. */
  watch(
    queue: string | undefined,
    member: WatchMember,
  ): { outcome: Promise<BatchOutcome | undefined>; callOff(): void } {
    const batch = this.batch(queue ?? '', queue);
    let membership!: Membership;
    const outcome = new Promise<BatchOutcome | undefined>((resolve) => {
      membership = { member, settle: resolve };
    });
    const replaced = batch.members.get(member.name);
    if (replaced) {
      batch.progress.delete(member.name);
      replaced.settle(undefined);
    }
    batch.members.set(member.name, membership);
    batch.running?.cancel();
    return {
      outcome,
      callOff: () => {
        if (batch.members.get(member.name) !== membership) return;
        batch.members.delete(member.name);
        // Whoever watches it next starts counting anew (a restart, a stop, an update came in between).
        batch.progress.delete(member.name);
        membership.settle(undefined);
        batch.running?.cancel();
      },
    };
  }

  /** Ends every batch: members are answered with undefined; resolves once no activity runs. */
  async close(): Promise<void> {
    this.closed = true;
    for (const batch of this.queues.values()) {
      for (const membership of batch.members.values()) membership.settle(undefined);
      batch.members.clear();
      batch.running?.cancel();
    }
    await Promise.all([...this.queues.values()].map((b) => b.done));
  }

  private batch(key: string, queue: string | undefined): QueueBatch {
    const existing = this.queues.get(key);
    if (existing) return existing;
    const batch: QueueBatch = { members: new Map(), progress: new Map(), done: Promise.resolve() };
    this.queues.set(key, batch);
    batch.done = this.run(batch, queue);
    return batch;
  }

  private async run(batch: QueueBatch, queue: string | undefined): Promise<void> {
    const { watchServices } = proxyActivities<SupervisionActivities>({
      ...watchBatchOptions(queue, this.stack.windowMs),
      summary: `watch ${queue === undefined ? 'services' : `services on ${queue}`}`,
      // The next batch starts only once this one has really ended and answered with its counters.
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    });
    for (;;) {
      await condition(() => this.closed || batch.members.size > 0);
      if (this.closed) return;
      const running = [...batch.members.values()];
      const scope = new CancellationScope();
      batch.running = scope;
      let result: WatchServicesResult;
      try {
        result = await scope.run(() =>
          watchServices({
            plan: this.stack.plan(),
            bootId: this.stack.bootId(),
            windowMs: this.stack.windowMs,
            members: running.map(({ member }) => {
              const progress = batch.progress.get(member.name);
              return progress ? { ...member, progress } : member;
            }),
          }),
        );
      } catch (error) {
        // Cancelled before it could answer: the counters of the batch before it stand.
        if (isCancellation(error)) continue;
        // Not retryable: every member says why, and looks again later (see the stack's `watch`).
        for (const membership of running)
          this.answer(batch, membership, { kind: 'not-watched', reason: describeFailure(error) });
        continue;
      } finally {
        batch.running = undefined;
      }
      // Counters of members still watched as they were (one that left, or joined anew meanwhile, starts afresh).
      for (const membership of running) {
        const progress = result.progress[membership.member.name];
        if (progress && batch.members.get(membership.member.name) === membership)
          batch.progress.set(membership.member.name, progress);
      }
      for (const change of result.changes) {
        const membership = running.find((m) => m.member.name === change.name);
        if (!membership) continue;
        this.answer(
          batch,
          membership,
          change.result ?? { kind: 'not-watched', reason: change.notWatched ?? 'not watched' },
        );
      }
      if (result.windowEnded)
        for (const membership of running) {
          const latencyMs = result.progress[membership.member.name]?.latencyMs;
          this.answer(batch, membership, {
            kind: 'unchanged',
            atMs: Date.now(),
            ...(latencyMs === undefined ? {} : { latencyMs }),
          });
        }
    }
  }

  /** Answers a member that is still in the batch; a change ends its counters (the next watch expects anew). */
  private answer(batch: QueueBatch, membership: Membership, outcome: BatchOutcome): void {
    const name = membership.member.name;
    if (batch.members.get(name) !== membership) return;
    batch.members.delete(name);
    if (outcome.kind !== 'unchanged') batch.progress.delete(name);
    membership.settle(outcome);
  }
}
