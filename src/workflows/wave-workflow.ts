import {
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { BootActivities } from '../contract/activities';
import { checkWaveServices } from '../contract/boot-input-schema';
import {
  abortWaveSignal,
  dependencyUpdateSignal,
  pauseSignal,
  relayDependencyUpdateSignal,
  resumeSignal,
  waveProgressSignal,
  waveStatusQuery,
  type DependencyUpdate,
} from '../contract/messages';
import type { ServicePhase, WaveResult } from '../contract/status';
import type { BootOptions } from '../plan/boot-input';
import type { ServiceSpec, WaveSpec } from '../plan/types';
import { prepareOptions, probeOptions, startOptions } from './activity-options';
import { readyIfRunning } from './ready-at-start';
import { describeFailure } from './failure-message';
import { noWorkerOnHost, startOnHost, type HostWait } from './start-on-host';
import { StartBatcher } from './start-batches';
import { WaveState } from './wave-state';
import { waitingForWorker } from '../placement/waiting-for-worker';

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

/** How often at most a wave reports its services' changes to the boot (live `status` of the boot). */
const progressIntervalMs = 500;

/**
 * Boots one wave: each service waits for its own dependencies (in this wave or, via signals, in earlier ones),
 * starts, and is awaited healthy. A critical failure aborts the wave unless the policy is `continue`.
 * The decisions live in `WaveState`; this function wires them to activities, timers and signals.
 */
export async function waveWorkflow(input: WaveInput): Promise<WaveResult> {
  const problems = checkWaveServices(input);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `invalid wave input:${problems.map((p) => `\n- ${p}`).join('')}`,
      'PlanError',
    );
  }
  const { services, options } = input;
  const state = new WaveState({ ...input, maxParallel: options.maxParallel });
  const runScope = new CancellationScope();
  const abort = (reason: string, fromBoot = false) => {
    if (!state.abort(reason, fromBoot)) return;
    log.warn('aborting wave', { wave: input.wave.name, reason });
    runScope.cancel();
  };

  setHandler(waveStatusQuery, () => ({ wave: input.wave.name, services: [...state.statuses.values()] }));
  setHandler(dependencyUpdateSignal, (updates) => state.hear(updates));
  setHandler(abortWaveSignal, (reason) => abort(reason, true));
  setHandler(pauseSignal, () => void (state.paused = true));
  setHandler(resumeSignal, () => void (state.paused = false));

  const activities = (service: ServiceSpec) => ({
    start: proxyActivities<BootActivities>({ ...startOptions(service), summary: `start ${service.name}` }).startService,
    awaitReady: proxyActivities<BootActivities>({ ...probeOptions(service), summary: `probe ${service.name}` })
      .awaitReady,
    prepare: proxyActivities<BootActivities>({ ...prepareOptions(service), summary: `prepare ${service.name}` })
      .prepareService,
  });

  /**
   * While a service waits for its dependencies, its driver creates what the start needs (a container, created and
   * not started, as Compose creates a project's containers up front), so the gate-open → running path is only the
   * start. Never cancelled half-way and never a failure of the service (the start does it all again); what it made
   * counts as started by this boot, so a rollback removes it. Only containers have something to prepare (no extra
   * activity per waiting process or Kubernetes service); services placed on a host, and boots recorded before this
   * existed, start as they did.
   */
  const prepare = (service: ServiceSpec, ref: Parameters<BootActivities['prepareService']>[0]) => {
    if (service.target.driver !== 'docker' || service.host !== undefined || !patched('prepare-while-waiting'))
      return undefined;
    return CancellationScope.nonCancellable(() => activities(service).prepare(ref)).then(
      (result) => {
        if (result.prepared) state.update(service.name, { startRequested: true });
      },
      () => undefined,
    );
  };

  const deadlineAtMs = input.wave.deadlineMs === undefined ? undefined : Date.now() + input.wave.deadlineMs;
  const hostWait = (name: string): HostWait => ({
    waiting: (host) => {
      if (state.status(name).waitingForHost !== host) state.update(name, { waitingForHost: host });
    },
    givingUp: () => state.abortReason !== undefined,
    msLeft: () => (deadlineAtMs === undefined ? undefined : deadlineAtMs - Date.now()),
  });
  const batcher = new StartBatcher((args) => activities(args.service).start(args));
  /**
   * A service placed on a host waits for that host's worker (`start-on-host.ts`); a local process joins the starts
   * released with it (`start-batches.ts`); others start as they always did. Boots recorded before batches existed
   * replay with a start each.
   */
  const start = (service: ServiceSpec, args: Parameters<BootActivities['startService']>[0]) => {
    if (service.host !== undefined)
      return startOnHost({ ...service, host: service.host }, args, hostWait(service.name));
    if (StartBatcher.canBatch(service) && patched('batched-starts')) return batcher.start(args);
    return activities(service).start(args);
  };

  async function runService(service: ServiceSpec): Promise<void> {
    const name = service.name;
    const ref = { plan: input.plan, bootId: input.bootId, service };
    let prepared: Promise<void> | undefined;
    try {
      const initial = state.gate(service);
      if (initial.verdict === 'wait') {
        state.update(name, { phase: 'waiting', waitingFor: initial.waitingFor });
        prepared = prepare(service, ref);
      }
      let released: ReturnType<WaveState['tryRelease']>;
      await condition(() => (released = state.tryRelease(service)) !== undefined);
      if (released!.verdict === 'blocked') {
        state.update(name, { phase: 'skipped', waitingFor: undefined, error: released!.reason });
        return;
      }
      try {
        state.update(name, { phase: 'starting', waitingFor: undefined, startRequested: true });
        // Never cancelled half-way: rollback must know whether it ran, and a start is short.
        // Without a prepare, no extra await: boots recorded before it replay the same commands in the same order.
        const startNow = () =>
          start(service, {
            ...ref,
            notify: state.wavesToTell(name, 'probing'),
            ...readyIfRunning(service, () => state.wavesToTell(name, 'healthy')),
          });
        const started = await CancellationScope.nonCancellable(() =>
          prepared === undefined ? startNow() : prepared.then(startNow),
        );
        const startedPatch = {
          instance: started.instance,
          startedAtMs: started.startedAtMs,
          ...(service.host === undefined ? {} : { waitingForHost: undefined }),
        };
        if (started.ready === undefined) {
          state.update(name, { phase: 'probing', ...startedPatch }, started.notified);
          if (state.abortReason !== undefined) throw new Error(state.abortReason);
        }
        const ready =
          started.ready ??
          (await activities(service).awaitReady({ ...ref, notify: state.wavesToTell(name, 'healthy') }));
        state.update(
          name,
          {
            ...startedPatch,
            phase: ready.outcome,
            readyAtMs: ready.readyAtMs,
            attempts: ready.attempts,
            lastOutput: ready.lastOutput,
            ...(ready.latencyMs === undefined ? {} : { latencyMs: ready.latencyMs }),
          },
          started.ready === undefined ? ready.notified : started.notified,
        );
      } finally {
        state.releaseSlot();
      }
    } catch (error) {
      // No worker of its host took the start (or came back after one died in it): a rollback's stop could only wait
      // for one too. What a dead worker may have begun is stopped by `down` once the host has a worker again.
      if (error instanceof ApplicationFailure && error.type === noWorkerOnHost)
        state.update(name, { startRequested: false });
      const aborted = isCancellation(error) || state.abortReason !== undefined;
      const abortWith = state.fail(service, { aborted, message: describeFailure(error) }, options.onFailure);
      log.warn('service did not become ready', { service: name, error: state.status(name).error });
      if (abortWith !== undefined) abort(abortWith);
    } finally {
      // The wave ends only once what a prepare made is known: a rollback must find it.
      if (prepared !== undefined) await prepared;
    }
  }

  const deadline = input.wave.deadlineMs;
  const deadlineScope = new CancellationScope();
  if (deadline !== undefined) {
    void deadlineScope
      .run(() => sleep(deadline))
      .then(
        () => {
          const hosts = state.waitingHosts();
          const why = hosts.length === 0 ? '' : `: ${waitingForWorker(hosts)}`;
          abort(`wave ${input.wave.name} not ready after ${deadline} ms${why}`);
        },
        () => undefined,
      );
  }

  let servicesDone = false;
  const notifier = deliverNotifications(state, () => servicesDone);
  const reporter = reportProgress(state, input.wave.index, () => servicesDone);
  const starter = batcher.run(() => servicesDone);
  await runScope.run(() => Promise.all(services.map((service) => runService(service)))).catch(() => undefined);
  servicesDone = true;
  deadlineScope.cancel();
  await Promise.all([notifier, reporter, starter]);
  return state.result(input.wave);
}

/**
 * Sends queued phase changes to later waves, batched per activation, until the wave is done and the queue empty.
 * A wave that refuses the signal has not started yet or has already ended: the boot knows which, and passes the
 * updates on to one that starts later (without it, that wave would wait for them forever).
 */
async function deliverNotifications(state: WaveState, done: () => boolean): Promise<void> {
  const parent = workflowInfo().parent;
  const relay = async (workflowId: string, updates: DependencyUpdate[]) => {
    if (parent === undefined || !patched('relay-undelivered-updates')) return;
    await getExternalWorkflowHandle(parent.workflowId, parent.runId)
      .signal(relayDependencyUpdateSignal, { workflowId, updates })
      .catch(() => undefined);
  };
  for (;;) {
    await condition(() => state.outbox.size > 0 || done());
    if (state.outbox.size === 0) return;
    await Promise.all(
      state.drainOutbox().map(([workflowId, updates]) =>
        getExternalWorkflowHandle(workflowId)
          .signal(dependencyUpdateSignal, updates)
          .catch(() => relay(workflowId, updates)),
      ),
    );
  }
}

/**
 * Tells the boot what changed, at most every `progressIntervalMs`, so its own `status` query is live. The last
 * changes travel in the wave's result instead: finishing never waits for a report. Boots recorded before this
 * existed replay without it.
 */
async function reportProgress(state: WaveState, waveIndex: number, done: () => boolean): Promise<void> {
  const parent = workflowInfo().parent;
  if (parent === undefined || !patched('wave-progress-to-boot')) return;
  const boot = getExternalWorkflowHandle(parent.workflowId, parent.runId);
  for (;;) {
    await condition(() => state.unreported.size > 0 || done());
    if (done()) return;
    await boot
      .signal(waveProgressSignal, { wave: waveIndex, services: state.drainUnreported() })
      .catch(() => undefined);
    await condition(done, progressIntervalMs);
  }
}
