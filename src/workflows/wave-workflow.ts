import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { BootActivities } from '../contract/activities';
import type { BootOptions } from '../plan/boot-input';
import type { ServiceSpec, WaveSpec } from '../plan/types';
import { probeOptions, startOptions } from './activity-options';
import { evaluateGate, settledPhases } from './dependency-gate';
import { describeFailure } from './failure-message';
import {
  abortWaveSignal,
  dependencyUpdateSignal,
  pauseSignal,
  resumeSignal,
  waveStatusQuery,
  type DependencyUpdate,
} from '../contract/messages';
import type { ServicePhase, ServiceStatus, WaveResult } from '../contract/status';

export interface WaveInput {
  plan: string;
  bootId: string;
  wave: WaveSpec;
  /** This wave's services, in topological order. */
  services: ServiceSpec[];
  options: BootOptions;
  /** Phases of services outside this wave known at start (with `waves`: every earlier wave's). */
  known: Record<string, ServicePhase>;
  /** With `dag`: later waves to tell when one of our services changes phase: workflow ID → our services it needs. */
  subscribers: Record<string, string[]>;
  /**
   * The part of `subscribers` that needs to hear a service has started (a `started` condition); the others only
   * hear when it settles. Absent in boots recorded before it existed: then every subscriber hears of the start.
   */
  startWatchers?: Record<string, string[]>;
  paused: boolean;
}

/** Phases worth telling a dependent about: each can open or block a gate. */
const gatePhases: readonly ServicePhase[] = ['probing', 'healthy', 'degraded', 'completed', 'failed', 'skipped'];

/**
 * Boots one wave: each service waits for its own dependencies (in this wave or, via signals, in earlier ones),
 * starts, and is awaited healthy. A critical failure aborts the wave unless the policy is `continue`.
 */
export async function waveWorkflow(input: WaveInput): Promise<WaveResult> {
  const { services, options } = input;
  const statuses = new Map<string, ServiceStatus>(
    services.map((s) => [s.name, { name: s.name, wave: s.wave, critical: s.critical, phase: 'pending' }]),
  );
  const external = new Map<string, ServicePhase>(Object.entries(input.known));
  const outbox = new Map<string, DependencyUpdate[]>();
  let paused = input.paused;
  let abortReason: string | undefined;
  let inFlight = 0;
  /** Skipped because the wave was aborted, not through a fault of their own: not counted as failures. */
  const abortedSkips = new Set<string>();
  const runScope = new CancellationScope();

  const phaseOf = (name: string) => statuses.get(name)?.phase ?? external.get(name);
  const abort = (reason: string) => {
    if (abortReason !== undefined) return;
    abortReason = reason;
    log.warn('aborting wave', { wave: input.wave.name, reason });
    runScope.cancel();
  };
  /** The later waves that want to hear of this phase of `service`. */
  const wavesToTell = (service: string, phase: ServicePhase) =>
    Object.entries(phase === 'probing' ? (input.startWatchers ?? input.subscribers) : input.subscribers).flatMap(
      ([workflowId, needed]) => (needed.includes(service) ? [workflowId] : []),
    );
  /** `told`: the waves an activity already signalled with this phase change. */
  const update = (status: ServiceStatus, patch: Partial<ServiceStatus>, told: string[] = []) => {
    Object.assign(status, patch);
    if (patch.phase && gatePhases.includes(patch.phase)) queueNotifications(status.name, patch.phase, told);
  };
  const queueNotifications = (service: string, phase: ServicePhase, told: string[]) => {
    for (const workflowId of wavesToTell(service, phase)) {
      if (told.includes(workflowId)) continue;
      outbox.set(workflowId, [...(outbox.get(workflowId) ?? []), { service, phase }]);
    }
  };

  setHandler(waveStatusQuery, () => ({ wave: input.wave.name, services: [...statuses.values()] }));
  setHandler(dependencyUpdateSignal, (updates) => {
    for (const { service, phase } of updates) {
      // Activities and waves both report phases, so they can arrive out of order: a settled phase is final.
      const known = external.get(service);
      if (known === undefined || !settledPhases.includes(known)) external.set(service, phase);
    }
  });
  setHandler(abortWaveSignal, abort);
  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => void (paused = false));

  const activities = (service: ServiceSpec) => ({
    start: proxyActivities<BootActivities>(startOptions(service)).startService,
    awaitReady: proxyActivities<BootActivities>(probeOptions(service)).awaitReady,
  });

  async function runService(service: ServiceSpec): Promise<void> {
    const status = statuses.get(service.name)!;
    const ref = { plan: input.plan, bootId: input.bootId, service };
    try {
      let gate = evaluateGate(service.dependsOn, phaseOf);
      if (gate.verdict === 'wait') update(status, { phase: 'waiting', waitingFor: gate.waitingFor });
      await condition(() => {
        gate = evaluateGate(service.dependsOn, phaseOf);
        if (gate.verdict === 'wait') status.waitingFor = gate.waitingFor;
        if (gate.verdict === 'blocked') return true;
        if (gate.verdict === 'wait' || paused) return false;
        if (options.maxParallel !== undefined && inFlight >= options.maxParallel) return false;
        // Claim the slot here: several services may be released in one activation, before any of them resumes.
        inFlight++;
        return true;
      });
      if (gate.verdict === 'blocked') {
        update(status, { phase: 'skipped', waitingFor: undefined, error: gate.reason });
        return;
      }
      try {
        update(status, { phase: 'starting', waitingFor: undefined, startRequested: true });
        // Never cancelled half-way: rollback must know whether it ran, and a start is short.
        const started = await CancellationScope.nonCancellable(() =>
          activities(service).start({ ...ref, notify: wavesToTell(service.name, 'probing') }),
        );
        update(
          status,
          { phase: 'probing', instance: started.instance, startedAtMs: started.startedAtMs },
          started.notified,
        );
        if (abortReason !== undefined) throw new Error(abortReason);
        const ready = await activities(service).awaitReady({ ...ref, notify: wavesToTell(service.name, 'healthy') });
        update(
          status,
          { phase: ready.outcome, readyAtMs: ready.readyAtMs, attempts: ready.attempts, lastOutput: ready.lastOutput },
          ready.notified,
        );
      } finally {
        inFlight--;
      }
    } catch (error) {
      const aborted = isCancellation(error) || abortReason !== undefined;
      const wasStarted = status.phase === 'starting' || status.phase === 'probing';
      const message = aborted ? `not ready: wave aborted (${abortReason ?? 'cancelled'})` : describeFailure(error);
      if (aborted && !wasStarted) abortedSkips.add(service.name);
      update(status, { phase: wasStarted ? 'failed' : 'skipped', waitingFor: undefined, error: message });
    }
    if (status.phase === 'failed' || status.phase === 'skipped') {
      log.warn('service did not become ready', { service: service.name, error: status.error });
      if (service.critical && options.onFailure !== 'continue' && abortReason === undefined) {
        abort(`critical service ${service.name} ${status.phase}: ${status.error}`);
      }
    }
  }

  const deadline = input.wave.deadlineMs;
  const deadlineScope = new CancellationScope();
  if (deadline !== undefined) {
    void deadlineScope
      .run(() => sleep(deadline))
      .then(
        () => abort(`wave ${input.wave.name} not ready after ${deadline} ms`),
        () => undefined,
      );
  }

  let servicesDone = false;
  const notifier = deliverNotifications(outbox, () => servicesDone);
  await runScope.run(() => Promise.all(services.map((service) => runService(service)))).catch(() => undefined);
  servicesDone = true;
  deadlineScope.cancel();
  await notifier;

  const all = [...statuses.values()];
  const criticalFailures = all
    .filter((s) => s.critical && (s.phase === 'failed' || s.phase === 'skipped') && !abortedSkips.has(s.name))
    .map((s) => s.name);
  const anyFailed = all.some((s) => s.phase === 'failed' || s.phase === 'skipped' || s.phase === 'degraded');
  const phase =
    abortReason !== undefined && criticalFailures.length === 0
      ? 'aborted'
      : criticalFailures.length > 0
        ? 'failed'
        : anyFailed
          ? 'degraded'
          : 'succeeded';
  return { name: input.wave.name, index: input.wave.index, phase, services: all, criticalFailures };
}

/** Sends queued phase changes to later waves, batched per activation, until the wave is done and the queue empty. */
async function deliverNotifications(outbox: Map<string, DependencyUpdate[]>, done: () => boolean): Promise<void> {
  for (;;) {
    await condition(() => outbox.size > 0 || done());
    if (outbox.size === 0) return;
    const batch = [...outbox.entries()];
    outbox.clear();
    await Promise.all(
      batch.map(([workflowId, updates]) =>
        // A wave that has already ended (aborted) no longer needs to hear it.
        getExternalWorkflowHandle(workflowId)
          .signal(dependencyUpdateSignal, updates)
          .catch(() => undefined),
      ),
    );
  }
}
