import {
  ApplicationFailure,
  CancellationScope,
  condition,
  log,
  proxyActivities,
  setHandler,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { BootActivities } from '../contract/activities';
import { defaultBootOptions, type BootInput, type BootOptions } from '../plan/boot-input';
import type { ResolvedPlan, ServiceSpec } from '../plan/types';
import { waveWorkflowId } from '../contract/ids';
import { stopOptions } from './activity-options';
import { describeFailure } from './failure-message';
import { abortWaveSignal, bootStatusQuery, cancelSignal, pauseSignal, resumeSignal } from '../contract/messages';
import { planSearchAttribute, statusSearchAttribute } from '../contract/search-attributes';
import type { BootPhase, BootStatus, ServicePhase, ServiceStatus, WaveResult } from '../contract/status';
import { waveWorkflow, type WaveInput } from './wave-workflow';

/**
 * One boot of a plan: each wave a child workflow, run with a barrier between waves (`waves`) or all at once with
 * services gated only by their own dependencies (`dag`); then the failure policy on a critical failure or cancel.
 */
export async function bootWorkflow(input: BootInput): Promise<BootStatus> {
  const plan = input.plan;
  if (!plan?.services?.length || !plan.waves?.length) {
    throw ApplicationFailure.nonRetryable('the boot input has no services or waves', 'PlanError');
  }
  const options: BootOptions = { ...defaultBootOptions, ...input.options };
  const info = workflowInfo();
  const services = new Map<string, ServiceStatus>(
    plan.services.map((s) => [s.name, { name: s.name, wave: s.wave, critical: s.critical, phase: 'pending' }]),
  );
  const status: BootStatus = {
    plan: plan.name,
    bootId: info.runId,
    workflowId: info.workflowId,
    strategy: options.strategy,
    onFailure: options.onFailure,
    phase: 'running',
    paused: false,
    cancelRequested: false,
    waves: plan.waves.map((w) => ({
      name: w.name,
      index: w.index,
      phase: 'pending',
      workflowId: waveWorkflowId(info.workflowId, w),
    })),
    services: [],
    startedAtMs: Date.now(),
  };
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

  setHandler(bootStatusQuery, () => ({ ...status, services: [...services.values()] }));
  setHandler(cancelSignal, (reason) => {
    if (status.cancelRequested) return;
    status.cancelRequested = true;
    status.failure ??= `cancelled${reason ? `: ${reason}` : ''}`;
    void signalRunning((h) => h.signal(abortWaveSignal, 'boot cancelled'));
  });
  setHandler(pauseSignal, () => {
    status.paused = true;
    void signalRunning((h) => h.signal(pauseSignal));
  });
  setHandler(resumeSignal, () => {
    status.paused = false;
    void signalRunning((h) => h.signal(resumeSignal));
  });

  upsertMemo({
    plan: plan.name,
    strategy: options.strategy,
    onFailure: options.onFailure,
    services: plan.services.length,
  });
  setPhase('running');
  log.info('boot started', { plan: plan.name, strategy: options.strategy, services: plan.services.length });

  const mustStop = () => status.cancelRequested || (status.failure !== undefined && options.onFailure !== 'continue');
  const absorb = (result: WaveResult) => {
    const view = status.waves.find((w) => w.index === result.index)!;
    view.phase = result.phase;
    for (const service of result.services) services.set(service.name, service);
    if (result.criticalFailures.length > 0 && status.failure === undefined) {
      const first = services.get(result.criticalFailures[0]!)!;
      status.failure = `critical service ${first.name} ${first.phase}: ${first.error ?? 'unknown error'}`;
      if (options.onFailure !== 'continue') void signalRunning((h) => h.signal(abortWaveSignal, status.failure!));
    }
  };
  const waveInput = (index: number, phases: Record<string, ServicePhase>, subscribers: Subscribers): WaveInput => {
    const wave = plan.waves[index]!;
    const members = new Set(wave.services);
    const dependencies = new Set(
      plan.services.filter((s) => members.has(s.name)).flatMap((s) => s.dependsOn.map((d) => d.service)),
    );
    const known = Object.fromEntries(
      Object.entries(phases).filter(([name]) => dependencies.has(name) && !members.has(name)),
    );
    return {
      plan: plan.name,
      bootId: info.runId,
      wave,
      services: plan.services.filter((s) => members.has(s.name)),
      options,
      known,
      subscribers: subscribers.all,
      startWatchers: subscribers.onStart,
      paused: status.paused,
    };
  };
  const launch = async (index: number, args: WaveInput) => {
    const view = status.waves[index]!;
    const handle = await startChild(waveWorkflow, { workflowId: view.workflowId, args: [args] });
    view.phase = 'running';
    running.set(view.workflowId, handle);
    return handle.result().finally(() => running.delete(view.workflowId));
  };

  // Every service of the boot, as far as this workflow knows: a wave tells "not heard of yet" from "not in the boot".
  const known = () => Object.fromEntries([...services.values()].map((s) => [s.name, s.phase]));
  if (options.strategy === 'waves') {
    for (let index = 0; index < plan.waves.length; index++) {
      await condition(() => !status.paused || status.cancelRequested);
      if (mustStop()) break;
      absorb(await launch(index, waveInput(index, known(), { all: {}, onStart: {} })));
    }
  } else {
    // Start the last wave first: a wave only depends on earlier ones, so each wave's subscribers already run
    // when it starts signalling them.
    const results: Promise<void>[] = [];
    for (let index = plan.waves.length - 1; index >= 0; index--) {
      if (status.cancelRequested) break;
      const subscribers = subscribersOf(plan, index, (i) => status.waves[i]!.workflowId);
      results.push(launch(index, waveInput(index, known(), subscribers)).then(absorb));
    }
    await Promise.all(results);
  }

  if (status.cancelRequested || status.failure !== undefined) {
    for (const view of status.waves) if (view.phase === 'pending') view.phase = 'aborted';
    for (const service of services.values()) {
      if (service.phase === 'pending') Object.assign(service, { phase: 'skipped', error: status.failure });
    }
  }
  const finalPhase = await settle(plan, options, status, services);
  setPhase(finalPhase);
  status.finishedAtMs = Date.now();
  log.info('boot finished', { plan: plan.name, phase: finalPhase, failure: status.failure });
  return { ...status, services: [...services.values()] };
}

/** Applies the failure policy and names the boot's final phase. */
async function settle(
  plan: ResolvedPlan,
  options: BootOptions,
  status: BootStatus,
  services: Map<string, ServiceStatus>,
): Promise<BootPhase> {
  const all = [...services.values()];
  if (status.failure === undefined && !status.cancelRequested) {
    return all.some((s) => s.phase !== 'healthy' && s.phase !== 'completed') ? 'degraded' : 'succeeded';
  }
  if (options.onFailure === 'continue' && !status.cancelRequested) return 'degraded';
  if (options.onFailure !== 'rollback') return status.cancelRequested ? 'cancelled' : 'halted';
  status.phase = 'rolling-back';
  const complete = await rollback(plan, options, status.bootId, services);
  if (!complete) status.failure = `${status.failure}; rollback incomplete`;
  return complete ? (status.cancelRequested ? 'cancelled' : 'rolled-back') : 'failed';
}

/**
 * Stops what this boot started, newest first, in a scope the boot's cancellation cannot interrupt and with its
 * own time budget. Each stop only touches instances this boot created, so rolling back twice is harmless.
 */
async function rollback(
  plan: ResolvedPlan,
  options: BootOptions,
  bootId: string,
  services: Map<string, ServiceStatus>,
): Promise<boolean> {
  const specs = new Map<string, ServiceSpec>(plan.services.map((s) => [s.name, s]));
  const order = plan.services.map((s) => s.name);
  const started = [...services.values()]
    .filter((s) => s.startRequested)
    .sort((a, b) => (b.startedAtMs ?? 0) - (a.startedAtMs ?? 0) || order.indexOf(b.name) - order.indexOf(a.name));
  const { stopService } = proxyActivities<BootActivities>(stopOptions());
  let complete = true;
  await CancellationScope.nonCancellable(() =>
    CancellationScope.withTimeout(options.rollbackTimeoutMs, async () => {
      for (const service of started) {
        try {
          await stopService({ plan: plan.name, bootId, service: specs.get(service.name)!, onlyIfOwnedBy: bootId });
          service.phase = 'rolled-back';
        } catch (error) {
          complete = false;
          service.error = `rollback failed: ${describeFailure(error)}`;
          log.error('rollback of service failed', { service: service.name, error: service.error });
        }
      }
    }),
  ).catch((error) => {
    complete = false;
    log.error('rollback did not finish within its budget', { error: describeFailure(error) });
  });
  return complete;
}

/** Later waves' workflow IDs → this wave's services they depend on (`all`), and on being started (`onStart`). */
interface Subscribers {
  all: Record<string, string[]>;
  onStart: Record<string, string[]>;
}

/** For wave `index`: the later waves to tell when one of its services starts or settles. */
function subscribersOf(plan: ResolvedPlan, index: number, workflowIdOf: (index: number) => string): Subscribers {
  const waveIndex = new Map(plan.waves.flatMap((w) => w.services.map((name) => [name, w.index] as const)));
  const subscribers: Subscribers = { all: {}, onStart: {} };
  const add = (into: Record<string, string[]>, id: string, service: string) =>
    (into[id] = [...new Set([...(into[id] ?? []), service])]);
  for (const service of plan.services) {
    const dependentWave = waveIndex.get(service.name)!;
    if (dependentWave === index) continue;
    for (const dependency of service.dependsOn) {
      if (waveIndex.get(dependency.service) !== index) continue;
      const id = workflowIdOf(dependentWave);
      add(subscribers.all, id, dependency.service);
      if (dependency.condition === 'started') add(subscribers.onStart, id, dependency.service);
    }
  }
  return subscribers;
}
