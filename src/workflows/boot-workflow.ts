import {
  ApplicationFailure,
  CancellationScope,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { BootActivities } from '../contract/activities';
import { checkBootInput } from '../contract/boot-input-schema';
import {
  abortWaveSignal,
  bootStatusQuery,
  cancelSignal,
  cancelUpdate,
  dependencyUpdateSignal,
  pauseSignal,
  pauseUpdate,
  resumeSignal,
  relayDependencyUpdateSignal,
  resumeUpdate,
  waveProgressSignal,
  type DependencyUpdate,
} from '../contract/messages';
import { planSearchAttribute, statusSearchAttribute } from '../contract/search-attributes';
import type { BootPhase, BootStatus } from '../contract/status';
import { workflowTaskTimeout } from '../contract/workflows';
import type { BootInput } from '../plan/boot-input';
import type { ServiceSpec } from '../plan/types';
import { stopOptions } from './activity-options';
import { BootState, subscribersOf, type BootControl, type Subscribers } from './boot-state';
import { describeFailure } from './failure-message';
import { stopBackwards } from './stop-backwards';
import { waveWorkflow, type WaveInput } from './wave-workflow';
import { counted } from '../counted';

/**
 * One boot of a plan: each wave a child workflow, run with a barrier between waves (`waves`) or all at once with
 * services gated only by their own dependencies (`dag`); then the failure policy on a critical failure or cancel.
 * The decisions live in `BootState`; this function wires them to children, signals, Updates and activities.
 */
export async function bootWorkflow(input: BootInput): Promise<BootStatus> {
  const checked = checkBootInput(input);
  if (!checked.ok) {
    const list = checked.problems.map((p) => `\n- ${p}`).join('');
    throw ApplicationFailure.nonRetryable(
      `invalid boot input (${checked.problems.length} problems):${list}`,
      'PlanError',
    );
  }
  const { plan, options } = checked.input;
  const info = workflowInfo();
  const state = new BootState(plan, options, { bootId: info.runId, workflowId: info.workflowId }, Date.now());
  const { status } = state;
  const running = new Map<string, ChildWorkflowHandle<typeof waveWorkflow>>();
  // Only upsert when the starter set the plan attribute: it proves the attributes are registered on this server.
  const indexed = info.typedSearchAttributes.get(planSearchAttribute) !== undefined;
  const setPhase = (phase: BootPhase) => {
    status.phase = phase;
    if (indexed) upsertSearchAttributes([{ key: statusSearchAttribute, value: phase }]);
  };
  const signalRunning = async (send: (handle: ChildWorkflowHandle<typeof waveWorkflow>) => Promise<void>) => {
    await Promise.all([...running.values()].map((handle) => send(handle).catch(() => undefined)));
  };
  const control = (action: BootControl, reason?: string) => {
    if (!state.apply(action, reason)) return state.controlState();
    if (action === 'cancel') void signalRunning((h) => h.signal(abortWaveSignal, 'boot cancelled'));
    else void signalRunning((h) => h.signal(action === 'pause' ? pauseSignal : resumeSignal));
    return state.controlState();
  };
  const validator = (action: BootControl) => (_reason?: string) => {
    const refusal = state.refusal(action);
    if (refusal !== undefined) throw new Error(refusal);
  };

  // The server starts a boot's children in any order, so a wave may be told of a dependency before it has started:
  // the sender's signal is refused and handed to the boot, which passes it on once that wave has started.
  const undelivered = new Map<string, DependencyUpdate[]>();
  setHandler(relayDependencyUpdateSignal, ({ workflowId, updates }) => {
    const handle = running.get(workflowId);
    if (handle) void handle.signal(dependencyUpdateSignal, updates).catch(() => undefined);
    else if (status.waves.find((wave) => wave.workflowId === workflowId)?.phase === 'pending')
      undelivered.set(workflowId, [...(undelivered.get(workflowId) ?? []), ...updates]);
    // A wave that has already ended no longer needs to hear it.
  });
  /** What a wave missed before it started: relayed updates, and a pause, resume or abort sent to the running waves. */
  const catchUp = (handle: ChildWorkflowHandle<typeof waveWorkflow>, startedPaused: boolean) => {
    const missed = undelivered.get(handle.workflowId);
    undelivered.delete(handle.workflowId);
    const abortWith = state.mustStop() ? (status.failure ?? 'boot cancelled') : undefined;
    const pauseChanged = abortWith === undefined && status.paused !== startedPaused;
    if ((missed === undefined && abortWith === undefined && !pauseChanged) || !patched('late-wave-catch-up')) return;
    if (missed) void handle.signal(dependencyUpdateSignal, missed).catch(() => undefined);
    if (abortWith !== undefined) void handle.signal(abortWaveSignal, abortWith).catch(() => undefined);
    else if (pauseChanged) void handle.signal(status.paused ? pauseSignal : resumeSignal).catch(() => undefined);
  };

  setHandler(bootStatusQuery, () => state.snapshot());
  setHandler(waveProgressSignal, ({ wave, services }) => state.hearProgress(wave, services));
  setHandler(pauseUpdate, () => control('pause'), { validator: validator('pause') });
  setHandler(resumeUpdate, () => control('resume'), { validator: validator('resume') });
  setHandler(cancelUpdate, (reason) => control('cancel', reason || undefined), { validator: validator('cancel') });
  setHandler(cancelSignal, (reason) => void control('cancel', reason));
  setHandler(pauseSignal, () => void control('pause'));
  setHandler(resumeSignal, () => void control('resume'));

  upsertMemo({
    plan: plan.name,
    strategy: options.strategy,
    onFailure: options.onFailure,
    services: plan.services.length,
  });
  setPhase('running');
  log.info('boot started', { plan: plan.name, strategy: options.strategy, services: plan.services.length });

  const absorb = (result: Parameters<BootState['absorb']>[0]) => {
    const abortWith = state.absorb(result);
    if (abortWith !== undefined) void signalRunning((h) => h.signal(abortWaveSignal, abortWith));
  };
  const waveInput = (index: number, subscribers: Subscribers): WaveInput => ({
    plan: plan.name,
    bootId: info.runId,
    wave: plan.waves[index]!,
    ...state.waveMembers(index),
    options,
    subscribers: subscribers.all,
    startWatchers: subscribers.onStart,
    paused: status.paused,
  });
  const launch = async (index: number, args: WaveInput) => {
    const view = status.waves[index]!;
    // Children do not inherit the boot's workflow task timeout: without it a wave waits out the server's 10 s.
    const handle = await startChild(waveWorkflow, {
      workflowId: view.workflowId,
      args: [args],
      workflowTaskTimeout,
      staticSummary: `wave ${view.index} · ${view.name} (${counted(args.services.length, 'service')})`,
    });
    state.waveStarted(index);
    running.set(view.workflowId, handle);
    catchUp(handle, args.paused);
    return handle.result().finally(() => running.delete(view.workflowId));
  };

  if (options.strategy === 'waves') {
    for (let index = 0; index < plan.waves.length; index++) {
      await condition(() => !status.paused || status.cancelRequested);
      if (state.mustStop()) break;
      absorb(await launch(index, waveInput(index, { all: {}, onStart: {} })));
    }
  } else {
    // Start the last wave first: a wave only depends on earlier ones, so each wave's subscribers already run
    // when it starts signalling them.
    const results: Promise<void>[] = [];
    for (let index = plan.waves.length - 1; index >= 0; index--) {
      if (status.cancelRequested) break;
      const subscribers = subscribersOf(plan, index, (i) => status.waves[i]!.workflowId);
      results.push(launch(index, waveInput(index, subscribers)).then(absorb));
    }
    await Promise.all(results);
  }

  state.markUnstarted();
  const settlement = state.settlement();
  let finalPhase: BootPhase;
  if ('phase' in settlement) finalPhase = settlement.phase;
  else {
    status.phase = 'rolling-back';
    finalPhase = state.afterRollback(await rollback(state, options.rollbackTimeoutMs));
  }
  setPhase(finalPhase);
  status.finishedAtMs = Date.now();
  log.info('boot finished', { plan: plan.name, phase: finalPhase, failure: status.failure });
  return state.snapshot();
}

/**
 * Stops what this boot started in the reverse of its start order, as much at once as that order allows (a service
 * after everything that depends on it), in a scope the boot's cancellation cannot interrupt and with its own time
 * budget. Each stop only touches instances this boot created, so rolling back twice is harmless.
 */
async function rollback(state: BootState, budgetMs: number): Promise<boolean> {
  const { plan, status } = state;
  let complete = true;
  const started = state.rollbackOrder();
  const statusOf = new Map(started.map(({ status: service, spec }) => [spec.name, service]));
  const stop = async (spec: ServiceSpec) => {
    const service = statusOf.get(spec.name)!;
    const { stopService } = proxyActivities<BootActivities>({
      ...stopOptions(spec),
      summary: `roll back ${spec.name}`,
    });
    try {
      await stopService({ plan: plan.name, bootId: status.bootId, service: spec, onlyIfOwnedBy: status.bootId });
      // A service whose gate never opened stays skipped: the rollback only removed what was prepared for it.
      if (service.phase !== 'skipped') service.phase = 'rolled-back';
    } catch (error) {
      complete = false;
      service.error = `rollback failed: ${describeFailure(error)}`;
      log.error('rollback of service failed', { service: service.name, error: service.error });
    }
  };
  await CancellationScope.nonCancellable(() =>
    CancellationScope.withTimeout(budgetMs, async () => {
      // Rollbacks recorded before it stopped one service at a time, newest first.
      if (patched('rollback-in-parallel')) {
        const waveIndex = new Map(plan.waves.map((wave) => [wave.name, wave.index]));
        await stopBackwards(
          started.map(({ spec }) => spec),
          (wave) => waveIndex.get(wave) ?? 0,
          stop,
        );
      } else for (const { spec } of started) await stop(spec);
    }),
  ).catch((error) => {
    complete = false;
    log.error('rollback did not finish within its budget', { error: describeFailure(error) });
  });
  return complete;
}
