import { CancellationScope, log, proxyActivities, sleep } from '@temporalio/workflow';
import { otherSlot, type BootActivities, type InstanceSlot } from '../contract/activities';
import type { SupervisionActivities } from '../contract/supervision';
import type { ServiceUpdate, UpdateReport } from '../contract/update';
import type { ResolvedPlan, ServiceSpec } from '../plan/types';
import { batchVerdict, type ServiceOutcome } from '../update/batch-verdict';
import type { RolloutMethod } from '../update/update-order';
import type { UpdateSettings } from '../update/update-settings';
import { probeOptions, startOptions, stopOptions, watchOptions } from './activity-options';
import { describeFailure } from './failure-message';

/** What the rollout needs from the stack that runs it: where each service runs, and whom to tell. */
export interface RolloutHooks {
  bootId: string;
  slotOf(service: string): InstanceSlot | undefined;
  /** Supervision of the service stops watching it (resolves once its loop is parked). */
  pause(service: string): Promise<void>;
  /** Stop-first: the old instance is going down (dependents are told as for a crash). */
  down(service: string, cause: string): void;
  /** A version of the service is ready (dependents are told it is back). */
  up(service: ServiceSpec, slot: InstanceSlot | undefined, atMs: number): void;
  /** The report changed (live status). */
  progress(report: UpdateReport): void;
}

/** What was done to one service, enough to undo it. */
interface Applied {
  service: string;
  kind: 'changed' | 'added';
  method: RolloutMethod;
  old?: ServiceSpec;
  next: ServiceSpec;
  oldSlot?: InstanceSlot;
  newSlot?: InstanceSlot;
  /** Start-first: the old instance has been stopped (the new one took over). */
  committed: boolean;
}

/** Where each service ends up: its spec (new, or old after a rollback) and its instance slot. */
export interface RolloutResult {
  report: UpdateReport;
  /** Services that run their new definition. */
  updated: string[];
  /** Services back on their old definition (or stopped again, when added). */
  rolledBack: string[];
  /** Services stopped because the new plan has them no more. */
  removed: string[];
  /** Services whose rollback did not end healthy. */
  failed: string[];
  slots: Record<string, InstanceSlot>;
}

/**
 * Rolls `report.batches` out, batch after batch (a batch's services at once): per service start-first, stop-first
 * or apply, gated on its check (`awaitReady`) and then watched through the health window (`watchService` for
 * `observeMs`: `retries` failed probes in a row, an exit or a removal fail it). After each batch the pure
 * `batchVerdict` decides: go on, roll back its failed non-critical services, or roll the whole update back —
 * every service it changed, newest first, each verified healthy on its old definition.
 */
export async function rollOut(
  running: ResolvedPlan,
  next: ResolvedPlan,
  report: UpdateReport,
  settings: UpdateSettings,
  hooks: RolloutHooks,
): Promise<RolloutResult> {
  const oldSpecs = new Map(running.services.map((s) => [s.name, s]));
  const newSpecs = new Map(next.services.map((s) => [s.name, s]));
  const entries = new Map<string, ServiceUpdate>(report.services.map((s) => [s.service, s]));
  const applied: Applied[] = [];
  const result: RolloutResult = { report, updated: [], rolledBack: [], removed: [], failed: [], slots: {} };
  const ref = (service: ServiceSpec, slot: InstanceSlot | undefined) => ({
    plan: running.name,
    bootId: hooks.bootId,
    service,
    ...(slot ? { slot } : {}),
  });
  const set = (name: string, change: Partial<ServiceUpdate>) => {
    entries.set(name, { ...entries.get(name)!, ...change });
    report.services = report.services.map((s) => entries.get(s.service) ?? s);
    hooks.progress(report);
  };

  const act = (name: string, step: string, spec: ServiceSpec) => ({
    start: proxyActivities<BootActivities>({
      ...startOptions(spec),
      activityId: `update/${name}/${step}`,
      summary: `update: ${step} ${name}`,
    }).startService,
    awaitReady: proxyActivities<BootActivities>({
      ...probeOptions(spec),
      activityId: `update/${name}/${step}`,
      summary: `update: ${step} ${name}`,
    }).awaitReady,
    stop: proxyActivities<BootActivities>({
      ...stopOptions(spec),
      activityId: `update/${name}/${step}`,
      summary: `update: ${step} ${name}`,
    }).stopService,
    watch: proxyActivities<SupervisionActivities>({
      ...watchOptions(spec, settings.observeMs),
      activityId: `update/${name}/${step}`,
      summary: `update: ${step} ${name} for ${Math.round(settings.observeMs / 1000)} s`,
    }).watchService,
  });

  /** Ready, then healthy through the health window; the failure's text otherwise. */
  async function gate(
    name: string,
    spec: ServiceSpec,
    slot: InstanceSlot | undefined,
    downAtMs?: number,
  ): Promise<number> {
    const ready = await act(name, 'probe-new', spec).awaitReady(ref(spec, slot));
    hooks.up(spec, slot, ready.readyAtMs);
    // Stop-first: down from the old one's stop until the new one was ready (a later rollback adds its own).
    if (downAtMs !== undefined) set(name, { downtimeMs: Math.max(0, ready.readyAtMs - downAtMs) });
    set(name, { phase: 'observing' });
    if (settings.observeMs > 0 && !spec.oneShot) {
      const seen = await act(name, 'observe', spec).watch({
        ...ref(spec, slot),
        expect: 'up',
        windowMs: settings.observeMs,
      });
      if (seen.kind === 'unhealthy') throw new Error(`unhealthy in the health window: ${seen.reason}`);
      if (seen.kind === 'exited') throw new Error(`exited with code ${seen.exitCode} in the health window`);
      if (seen.kind === 'absent') throw new Error('gone in the health window');
    }
    return ready.readyAtMs;
  }

  async function roll(name: string): Promise<ServiceOutcome> {
    const spec = newSpecs.get(name)!;
    const old = oldSpecs.get(name);
    const entry = entries.get(name)!;
    const method = entry.method ?? 'stop-first';
    const oldSlot = hooks.slotOf(name);
    const done: Applied = { service: name, kind: old ? 'changed' : 'added', method, next: spec, committed: false };
    if (old) Object.assign(done, { old, oldSlot });
    applied.push(done);
    set(name, { phase: 'updating' });
    try {
      if (old) await hooks.pause(name);
      if (!old) {
        done.newSlot = undefined;
        await act(name, 'start-new', spec).start(ref(spec, undefined));
        await gate(name, spec, undefined);
      } else if (method === 'start-first') {
        done.newSlot = otherSlot(oldSlot);
        await act(name, 'start-new', spec).start(ref(spec, done.newSlot));
        await gate(name, spec, done.newSlot);
        // The new instance passed its window: the old one goes (nothing was down, so nobody is told).
        await CancellationScope.nonCancellable(() => act(name, 'stop-old', old).stop(ref(old, oldSlot ?? 'blue')));
        done.committed = true;
      } else {
        done.newSlot = oldSlot;
        const downAtMs = Date.now();
        if (method === 'stop-first') {
          hooks.down(name, 'stopped for an update (stop-first)');
          await act(name, 'stop-old', old).stop(ref(old, oldSlot ?? 'blue'));
        }
        await act(name, 'start-new', spec).start(ref(spec, oldSlot));
        await gate(name, spec, oldSlot, method === 'stop-first' ? downAtMs : undefined);
      }
      set(name, { phase: 'updated' });
      return { service: name, critical: spec.critical };
    } catch (error) {
      const failure = describeFailure(error);
      log.warn('update of a service failed', { service: name, error: failure });
      set(name, { error: failure });
      return { service: name, critical: spec.critical, failure };
    }
  }

  /** Restores the old definition (or removes an added service) and verifies it healthy. */
  async function undo(done: Applied): Promise<void> {
    const name = done.service;
    set(name, { phase: 'rolling-back' });
    const a = (step: string, spec: ServiceSpec) => act(name, step, spec);
    try {
      await CancellationScope.nonCancellable(async () => {
        if (!done.old) {
          await a('stop-new', done.next).stop(ref(done.next, done.newSlot ?? 'blue'));
          return;
        }
        const old = done.old;
        if (done.method === 'start-first') {
          // Before the take-over the old instance still runs; after it, it starts again beside the new one.
          if (done.committed) await a('start-old', old).start(ref(old, done.oldSlot));
          await a('probe-old', old).awaitReady(ref(old, done.oldSlot));
          await a('stop-new', done.next).stop(ref(done.next, done.newSlot ?? 'blue'));
        } else {
          if (done.method === 'stop-first') await a('stop-new', done.next).stop(ref(done.next, done.oldSlot ?? 'blue'));
          await a('start-old', old).start(ref(old, done.oldSlot));
          await a('probe-old', old).awaitReady(ref(old, done.oldSlot));
        }
      });
      if (done.old) hooks.up(done.old, done.oldSlot, Date.now());
      set(name, { phase: 'rolled-back' });
      result.rolledBack.push(name);
    } catch (error) {
      set(name, { phase: 'failed', error: `rollback failed: ${describeFailure(error)}` });
      result.failed.push(name);
    }
  }

  for (const batch of report.batches) {
    report.currentBatch = batch.index;
    hooks.progress(report);
    if (batch.index > 0 && settings.pauseMs > 0) await sleep(settings.pauseMs);
    if (batch.action === 'remove') {
      for (const name of batch.services) {
        const old = oldSpecs.get(name)!;
        await hooks.pause(name);
        try {
          await CancellationScope.nonCancellable(() => act(name, 'stop-old', old).stop(ref(old, undefined)));
          set(name, { phase: 'removed' });
          result.removed.push(name);
        } catch (error) {
          set(name, { phase: 'failed', error: `not stopped: ${describeFailure(error)}` });
          result.failed.push(name);
        }
      }
      continue;
    }
    const outcomes = await Promise.all(batch.services.map((name) => roll(name)));
    const verdict = batchVerdict(outcomes, settings.failureThresholdPercent);
    if (verdict.action === 'rollback-update') {
      report.reason = verdict.reason;
      for (const done of [...applied].reverse()) await undo(done);
      report.outcome = result.failed.length > 0 ? 'failed' : 'rolled-back';
      return finish();
    }
    if (verdict.action === 'rollback-services') {
      report.reason = `rolled back: ${outcomes
        .filter((o) => o.failure)
        .map((o) => `${o.service} (${o.failure})`)
        .join('; ')}`;
      for (const done of [...applied].reverse()) if (verdict.services.includes(done.service)) await undo(done);
    }
  }
  report.outcome = result.failed.length > 0 ? 'failed' : result.rolledBack.length > 0 ? 'partially-updated' : 'updated';
  return finish();

  function finish(): RolloutResult {
    for (const done of applied) {
      const back = result.rolledBack.includes(done.service) || result.failed.includes(done.service);
      if (!back) result.updated.push(done.service);
      const slot = back ? done.oldSlot : done.newSlot;
      if (slot) result.slots[done.service] = slot;
    }
    hooks.progress(report);
    return result;
  }
}
