import {
  ActivityCancellationType,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { BootActivities, InstanceSlot } from '../contract/activities';
import {
  requestUpdateSignal,
  runningPlanQuery,
  updateReportSignal,
  type UpdateReport,
  type UpdateRequest,
} from '../contract/update';
import { updateSettings } from '../update/update-settings';
import { checkPlan } from '../contract/boot-input-schema';
import { planSearchAttribute } from '../contract/search-attributes';
import { workflowTaskTimeout } from '../contract/workflows';
import { bootWorkflowId } from '../contract/ids';
import { cancelSignal } from '../contract/messages';
import type { BootStatus, ServiceStatus } from '../contract/status';
import {
  endSupervisionUpdate,
  restartServiceUpdate,
  stackStatusQuery,
  startOnDemandUpdate,
  watchedSpecsQuery,
  type Observation,
  type StackInput,
  type StackStatus,
  type SupervisedService,
  type SupervisionActivities,
} from '../contract/supervision';
import { defaultBootOptions } from '../plan/boot-input';
import type { ServiceSpec } from '../plan/types';
import { applyObservation, recordRestart } from '../supervision/apply-observation';
import {
  breakerFailure,
  breakerHalfOpensAtMs,
  breakerSuccess,
  breakerTick,
  closedBreaker,
  edgeKey,
} from '../supervision/circuit-breaker';
import { dependencyEffects } from '../supervision/dependency-effects';
import { failureObservation } from '../supervision/failure-observation';
import { restartOwner, supervisionOf } from '../supervision/supervision-of';
import { decideLazyStart, lazyServices } from '../supervision/lazy-decisions';
import { planWithout } from '../supervision/plan-without';
import { formatDuration } from '../plan/duration';
import { upPhases } from '../contract/supervision';
import { probeOptions, startOptions, stopOptions, watchOptions } from './activity-options';
import { readyIfRunning } from './ready-at-start';
import { bootWorkflow } from './boot-workflow';
import { describeFailure } from './failure-message';
import { planAfter, planUpdate } from '../update/update-plan';
import { keepBuiltImages } from '../update/keep-built-images';
import { rollOut } from './rollout';
import { WatchBatches, type BatchOutcome } from './watch-batches';
import { serviceTaskQueue } from '../placement/service-task-queue';

const defaultWatchWindowMs = 60 * 60_000;
const defaultMaxHistoryEvents = 8000;

/** Per service: the running watch's scope (cancelled to re-evaluate at once) and a stop still to make. */
interface ServiceLoop {
  watch?: { cancel(): void };
  stopPending?: string;
  /** An on-demand start or stop, or an update, acts on it: the loop waits. */
  busy?: boolean;
  /** The loop is waiting for `busy` to clear: an update may act on the service now. */
  parked?: boolean;
}

/**
 * The life of a stack after `up`: boots the plan as a child (`bootwave-<plan>`, as a plain boot), then supervises
 * each service until `down` — a long heartbeating watch per service reports changes only; the restart policy,
 * crash-loop limit, breakers and dependency effects decide (pure, in `src/supervision`); this function acts.
 * The history stays bounded: the state is carried into a new run (continue-as-new) once it grows.
 */
export async function stackWorkflow(input: StackInput): Promise<StackStatus> {
  // An update replaces the plan (and with it the services' specs) once it has rolled out.
  let plan = input.plan;
  // A stack started by hand (Temporal CLI, Web UI) gets every problem of its plan at once, not a stuck task.
  const problems = plan ? checkPlan(plan) : ['the stack input has no plan'];
  if (problems.length > 0)
    throw ApplicationFailure.nonRetryable(`invalid plan:${problems.map((p) => `\n- ${p}`).join('')}`, 'PlanError');
  const info = workflowInfo();
  const carried = input.carried;
  const specs = new Map<string, ServiceSpec>(plan.services.map((s) => [s.name, s]));
  const states = new Map<string, SupervisedService>((carried?.services ?? []).map((s) => [s.name, s]));
  /** Services a start-first update moved to their `green` instance; absent: `blue`. */
  const slots: Record<string, InstanceSlot> = { ...carried?.slots };
  /** The update under way (one at a time), and the last one's report. */
  let rollout: UpdateReport | undefined;
  let lastUpdate: UpdateReport | undefined;
  /** Report signals to update workflows not yet delivered. */
  let answering = 0;
  const status: StackStatus = {
    plan: plan.name,
    workflowId: info.workflowId,
    phase: carried ? 'supervising' : 'booting',
    bootWorkflowId: carried?.bootWorkflowId ?? input.bootWorkflowId ?? bootWorkflowId(plan.name),
    bootPhase: carried?.bootPhase,
    supervisingSinceMs: carried?.supervisingSinceMs,
    services: [],
    breakers: carried?.breakers ?? {},
    runs: carried?.runs ?? 0,
    historyLength: 0,
  };
  let bootId = carried?.bootId ?? '';
  let endReason: string | undefined;
  let draining = false;
  let loopsDone = false;
  const loops = new Map<string, ServiceLoop>();
  /** Every service's supervision loop, including those an update adds. */
  const supervised: Promise<void>[] = [];
  const restartScope = new CancellationScope();
  const windowMs = input.watchWindowMs ?? defaultWatchWindowMs;
  const ref = (service: ServiceSpec) => ({
    plan: plan.name,
    bootId,
    service,
    ...(slots[service.name] ? { slot: slots[service.name] } : {}),
  });
  const snapshot = (): StackStatus => ({
    ...status,
    endReason,
    services: plan.services.flatMap((s) => states.get(s.name) ?? []),
    historyLength: workflowInfo().historyLength,
    ...((rollout ?? lastUpdate) ? { update: rollout ?? lastUpdate } : {}),
  });
  const poke = (name: string) => loops.get(name)?.watch?.cancel();

  setHandler(stackStatusQuery, snapshot);
  setHandler(watchedSpecsQuery, (names) => names.flatMap((name) => specs.get(name) ?? []));
  setHandler(runningPlanQuery, () => plan);
  setHandler(requestUpdateSignal, (request) => void handleUpdateRequest(request));
  setHandler(
    endSupervisionUpdate,
    async (reason) => {
      // `down` during an update waits for it: the two never act on the stack at once.
      if (rollout) await condition(() => rollout === undefined);
      endReason ??= reason;
      for (const name of loops.keys()) poke(name);
      restartScope.cancel();
      await condition(() => loopsDone);
      return snapshot();
    },
    { validator: (reason) => void (typeof reason === 'string' || fail('a reason is required')) },
  );
  setHandler(
    restartServiceUpdate,
    async (name) => {
      const spec = specs.get(name)!;
      const state = states.get(name)!;
      states.set(name, {
        ...state,
        phase: 'restarting',
        sinceMs: Date.now(),
        restartAtMs: Date.now(),
        // An operator's restart clears a crash loop: its window starts over.
        recentRestartsMs: [],
        message: 'restart requested by an operator',
      });
      if (!loops.has(name)) void superviseService(spec);
      else poke(name);
      await condition(() => states.get(name)!.phase !== 'restarting' || endReason !== undefined);
      return states.get(name)!;
    },
    {
      validator: (name) => {
        const spec = specs.get(name);
        if (!spec) fail(`no service ${name} in plan ${plan.name}`);
        if (spec!.oneShot) fail(`service ${name} is a one-shot: nothing to restart`);
        if (status.phase !== 'supervising' || draining || endReason !== undefined)
          fail(
            `plan ${plan.name} is not being supervised now (${draining ? 'moving to a new run; retry' : status.phase})`,
          );
        if (states.get(name)?.phase === 'restarting') fail(`service ${name} is already restarting`);
        if (rollout) fail(`an update of plan ${plan.name} is running (${rollout.updateWorkflowId}); retry after it`);
      },
    },
  );

  // On-demand services that no eager service needs are left out of the boot.
  const onDemand = lazyServices(plan.services);
  setHandler(
    startOnDemandUpdate,
    async (name) => {
      const decision = decideLazyStart(plan.services, Object.fromEntries(states), name);
      for (const evicted of decision.evict) {
        const group = supervisionOf(specs.get(evicted)!).lazy?.group;
        await stopOnDemand(specs.get(evicted)!, `evicted: the least recently used of group ${group}`);
      }
      for (const next of decision.start) await startOnDemand(specs.get(next)!);
      return states.get(name)!;
    },
    {
      validator: (name) => {
        const spec = specs.get(name);
        if (!spec) fail(`no service ${name} in plan ${plan.name}`);
        if (!supervisionOf(spec!).lazy) fail(`service ${name} is not on demand (lazy): it runs with the stack`);
        if (rollout) fail(`an update of plan ${plan.name} is running (${rollout.updateWorkflowId}); retry after it`);
        if (status.phase !== 'supervising' || draining || endReason !== undefined)
          fail(
            `plan ${plan.name} is not being supervised now (${draining ? 'moving to a new run; retry' : status.phase})`,
          );
      },
    },
  );

  if (!carried) {
    const boot = await runBoot();
    if (!boot) return finish();
    bootId = boot.bootId;
    status.bootPhase = boot.phase;
    if (endReason !== undefined) return finish();
    if (boot.phase !== 'succeeded' && boot.phase !== 'degraded') {
      endReason = `boot ${boot.phase}${boot.failure ? `: ${boot.failure}` : ''}`;
      return finish();
    }
    await recordBoot(boot);
    status.supervisingSinceMs = Date.now();
    for (const service of boot.services) states.set(service.name, initialState(service, Date.now()));
    for (const name of onDemand)
      states.set(name, {
        name,
        critical: specs.get(name)!.critical,
        phase: 'on-demand',
        sinceMs: Date.now(),
        restarts: 0,
        recentRestartsMs: [],
        blockedBy: [],
      });
  }
  status.phase = 'supervising';
  log.info('supervising', { plan: plan.name, services: states.size, run: status.runs });
  // One watch activity per worker for all services (runs recorded with one per service replay without it).
  const batches = patched('batched-watches')
    ? new WatchBatches({ plan: () => plan.name, bootId: () => bootId, windowMs })
    : undefined;

  supervised.push(...plan.services.filter((s) => states.has(s.name)).map((s) => superviseService(s)));
  const ticker = tickBreakers();
  await condition(
    () =>
      endReason !== undefined ||
      // Never in the middle of an update: it finishes in this run (its history is bounded by its batches).
      ((workflowInfo().continueAsNewSuggested ||
        workflowInfo().historyLength >= (input.maxHistoryEvents ?? defaultMaxHistoryEvents)) &&
        rollout === undefined),
  );
  if (endReason === undefined) draining = true;
  else status.phase = 'ending';
  for (const name of loops.keys()) poke(name);
  // A restart under way finishes before a new run takes over (it is counted already); `down` cancels it.
  if (!draining) restartScope.cancel();
  await Promise.all([...supervised, ticker]);
  await condition(() => loops.size === 0);
  await batches?.close();
  if (draining) {
    // An update's answer still on its way is delivered by this run.
    await condition(() => allHandlersFinished() && answering === 0);
    const next: StackInput = {
      ...input,
      plan,
      carried: {
        ...(Object.keys(slots).length > 0 ? { slots } : {}),
        bootWorkflowId: status.bootWorkflowId,
        bootId,
        bootPhase: status.bootPhase ?? 'succeeded',
        supervisingSinceMs: status.supervisingSinceMs ?? Date.now(),
        services: snapshot().services,
        breakers: status.breakers,
        runs: status.runs + 1,
      },
    };
    log.info('continuing as new', { plan: plan.name, historyLength: workflowInfo().historyLength });
    await continueAsNew<typeof stackWorkflow>(next);
  }
  return finish();

  async function finish(): Promise<StackStatus> {
    status.phase = 'ended';
    loopsDone = true;
    // A `down` that waited for an update ends the stack right after it: the update's report, signalled in that same
    // task, was dropped when the stack completed with it, and the update waited forever. Delivered first now.
    const deliverAnswers = patched('stack-end-delivers-update-answers');
    await condition(() => allHandlersFinished() && (!deliverAnswers || answering === 0));
    log.info('supervision ended', { plan: plan.name, reason: endReason });
    return snapshot();
  }

  /** Metrics are a side effect: best effort, never a reason to stop supervising. */
  async function recordBoot(boot: BootStatus): Promise<void> {
    const { recordBoot } = proxyActivities<SupervisionActivities>({
      startToCloseTimeout: '30s',
      retry: { maximumAttempts: 3 },
    });
    await recordBoot({ boot, waves: plan.waves.map((w) => ({ name: w.name, deadlineMs: w.deadlineMs })) }).catch(
      (error: unknown) => log.warn('boot metrics not recorded', { error: describeFailure(error) }),
    );
  }

  /** The boot as a child, cancelled if supervision ends first; undefined when it could not run. */
  async function runBoot(): Promise<BootStatus | undefined> {
    try {
      const child = await startChild(bootWorkflow, {
        workflowId: status.bootWorkflowId,
        staticSummary: `boot of ${plan.name}`,
        // Found by `bootwave list --plan` and the Web UI's `BootwavePlan` filter, as a plain boot is.
        ...(info.typedSearchAttributes.get(planSearchAttribute) === undefined
          ? {}
          : { typedSearchAttributes: [{ key: planSearchAttribute, value: plan.name }] }),
        // Children do not inherit the workflow task timeout (see `workflowTaskTimeout`).
        workflowTaskTimeout,
        args: [{ plan: planWithout(plan, onDemand), options: { ...defaultBootOptions, ...input.options } }],
      });
      const result = child.result();
      // Down during the boot cancels it; once the boot has ended the signal fails, and that is fine (an unhandled
      // rejection would fail every workflow task of the stack from then on).
      void condition(() => endReason !== undefined).then(() =>
        child.signal(cancelSignal, endReason).catch(() => undefined),
      );
      return await result;
    } catch (error) {
      endReason ??= `boot did not finish: ${describeFailure(error)}`;
      return undefined;
    }
  }

  async function superviseService(initial: ServiceSpec): Promise<void> {
    const loop: ServiceLoop = {};
    loops.set(initial.name, loop);
    try {
      for (;;) {
        // The current spec: an update may have replaced it, or removed the service.
        const spec = specs.get(initial.name);
        if (!spec) return;
        if (loop.stopPending) await stopFor(spec, loop);
        if (endReason !== undefined || draining) return;
        if (loop.busy) {
          loop.parked = true;
          await condition(() => !loop.busy || endReason !== undefined || draining);
          loop.parked = false;
          continue;
        }
        const state = states.get(spec.name)!;
        switch (state.phase) {
          case 'healthy':
          case 'degraded':
            await watch(spec, loop, 'up');
            break;
          case 'unhealthy':
          case 'down':
            await watch(spec, loop, 'down');
            break;
          case 'restarting':
            await restart(spec, state);
            break;
          default:
            // crash-loop, stopped, failed, completed: until an operator or a dependency changes it (an update may
            // act on the service meanwhile: nothing runs for it here).
            loop.parked = true;
            await condition(
              () => endReason !== undefined || draining || states.get(spec.name) !== state || !!loop.stopPending,
            );
            loop.parked = false;
        }
      }
    } finally {
      loops.delete(initial.name);
    }
  }

  /**
   * An update request (from `updateWorkflow`): refused at once when the stack is not supervising or another update
   * runs, else rolled out here while the supervision of each service it touches waits; answered by signal.
   */
  async function handleUpdateRequest(given: UpdateRequest): Promise<void> {
    const request = { ...given, plan: keepBuiltImages(plan, given.plan) };
    const answer = async (report: UpdateReport) => {
      answering++;
      try {
        await getExternalWorkflowHandle(request.updateWorkflowId).signal(updateReportSignal, report);
      } catch (error) {
        log.warn('update report not delivered', { update: request.updateWorkflowId, error: describeFailure(error) });
      } finally {
        answering--;
      }
    };
    const planned = planUpdate(plan, request);
    const busy =
      request.plan?.name !== plan.name
        ? `the update is for plan ${request.plan?.name}, this stack runs plan ${plan.name}`
        : rollout
          ? `an update of plan ${plan.name} is already running (${rollout.updateWorkflowId})`
          : draining
            ? 'the stack is moving to a new run; retry'
            : endReason !== undefined || status.phase !== 'supervising'
              ? `plan ${plan.name} is not being supervised now (${endReason !== undefined ? 'ending' : status.phase})`
              : undefined;
    if (planned.outcome === 'dry-run' || planned.outcome === 'refused') return answer(planned);
    if (busy) return answer({ ...planned, outcome: 'refused', reason: busy, ...(draining ? { retryable: true } : {}) });
    const report: UpdateReport = { ...planned, startedAtMs: Date.now() };
    rollout = report;
    log.info('update started', { plan: plan.name, update: request.updateWorkflowId, batches: report.batches.length });
    const running = plan;
    /** Loops this update parked: released when it ends, whatever happened. */
    const paused = new Set<ServiceLoop>();
    try {
      const result = await rollOut(running, request.plan, report, updateSettings(request.plan, request.options), {
        bootId,
        slotOf: (name) => slots[name],
        pause: async (name) => {
          const loop = loops.get(name);
          if (!loop) return;
          paused.add(loop);
          loop.busy = true;
          poke(name);
          await condition(() => !!loop.parked || !loops.has(name));
        },
        down: (name, cause) => {
          states.set(name, { ...states.get(name)!, phase: 'down', sinceMs: Date.now(), message: cause });
          applyDependencyEffects();
        },
        up: (service, slot, atMs) => {
          if (slot) slots[service.name] = slot;
          else delete slots[service.name];
          specs.set(service.name, service);
          if (states.has(service.name)) observe(service, { kind: 'healthy', atMs });
        },
        progress: (next) => void (rollout = next),
      });
      plan = planAfter(running, request.plan, result.rolledBack.concat(result.failed));
      // Exactly the resulting plan's services: a rolled-back added service is gone again.
      specs.clear();
      for (const service of plan.services) specs.set(service.name, service);
      for (const name of result.removed) {
        delete slots[name];
        specs.delete(name);
        states.delete(name);
      }
      const now = Date.now();
      for (const name of result.updated) {
        const state = states.get(name);
        if (state) {
          states.set(name, {
            ...state,
            critical: specs.get(name)!.critical,
            message: `updated by ${request.updateWorkflowId}`,
          });
          continue;
        }
        const spec = specs.get(name)!;
        states.set(name, {
          name,
          critical: spec.critical,
          phase: 'healthy',
          sinceMs: now,
          upSinceMs: now,
          restarts: 0,
          recentRestartsMs: [],
          blockedBy: [],
        });
        supervised.push(superviseService(spec));
      }
      for (const name of result.failed)
        if (states.has(name))
          states.set(name, { ...states.get(name)!, phase: 'failed', sinceMs: now, message: `update rollback failed` });
      // Fields that change no instance (critical, say) take effect too.
      for (const [name, state] of states)
        if (specs.has(name)) states.set(name, { ...state, critical: specs.get(name)!.critical });
      applyDependencyEffects();
      log.info('update ended', { plan: plan.name, outcome: report.outcome });
    } catch (error) {
      // Not an activity's failure (those are the rollout's to judge): the requester must still get an answer.
      report.outcome = 'failed';
      report.reason = `the update stopped: ${describeFailure(error)}`;
      log.error('update stopped', { plan: plan.name, error: report.reason });
    } finally {
      report.endedAtMs = Date.now();
      for (const loop of paused) loop.busy = false;
      lastUpdate = report;
      rollout = undefined;
    }
    await answer(report);
  }

  async function watch(spec: ServiceSpec, loop: ServiceLoop, expect: 'up' | 'down'): Promise<void> {
    if (!batches) return watchAlone(spec, loop, expect);
    const idleAfterMs = supervisionOf(spec).lazy?.idleTimeoutMs;
    const slot = slots[spec.name];
    const handle = batches.watch(serviceTaskQueue(spec, info.taskQueue), {
      name: spec.name,
      expect,
      ...(slot ? { slot } : {}),
      ...(idleAfterMs === undefined ? {} : { idleAfterMs }),
    });
    loop.watch = { cancel: handle.callOff };
    let outcome: BatchOutcome | undefined;
    try {
      outcome = await handle.outcome;
    } finally {
      loop.watch = undefined;
    }
    // Called off: a stop, restart or update of our own is under way, or supervision ends.
    if (outcome) await handleWatchOutcome(spec, outcome);
  }

  /** What a watch saw, acted on. */
  async function handleWatchOutcome(spec: ServiceSpec, outcome: BatchOutcome): Promise<void> {
    if (outcome.kind === 'idle') {
      await stopOnDemand(spec, `idle for ${formatDuration(outcome.idleForMs)}: no connections to its ports`);
      return;
    }
    if (outcome.kind === 'unchanged') {
      const state = states.get(spec.name)!;
      if (outcome.latencyMs !== undefined) states.set(spec.name, { ...state, latencyMs: outcome.latencyMs });
      return;
    }
    if (outcome.kind === 'not-watched') {
      // Not retryable (e.g. no driver for it on the workers): say so, and look again later.
      const state = states.get(spec.name)!;
      states.set(spec.name, { ...state, message: `not watched: ${outcome.reason}` });
      await condition(() => endReason !== undefined || draining || states.get(spec.name) !== state, 30_000);
      return;
    }
    observe(spec, outcome);
  }

  /** A watch activity of its own per service: how stacks recorded before the batches supervised. */
  async function watchAlone(spec: ServiceSpec, loop: ServiceLoop, expect: 'up' | 'down'): Promise<void> {
    const { watchService } = proxyActivities<SupervisionActivities>({
      ...watchOptions(spec, windowMs),
      summary: `watch ${spec.name}`,
      // The next watch of the service has the same activity ID: it may only be scheduled once this one has really
      // ended, or the server refuses it (ScheduleActivityDuplicateId). Stacks recorded before replay without it.
      ...(patched('watch-waits-for-its-cancel')
        ? { cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED }
        : {}),
    });
    const scope = new CancellationScope();
    loop.watch = scope;
    try {
      const idleAfterMs = supervisionOf(spec).lazy?.idleTimeoutMs;
      const result = await scope.run(() =>
        watchService({ ...ref(spec), expect, windowMs, ...(idleAfterMs === undefined ? {} : { idleAfterMs }) }),
      );
      // Called off (a stop or restart of our own is under way) but the watch finished first: what it saw is stale.
      if (scope.consideredCancelled) return;
      if (result.kind === 'idle') {
        await stopOnDemand(spec, `idle for ${formatDuration(result.idleForMs)}: no connections to its ports`);
        return;
      }
      if (result.kind === 'unchanged') {
        const state = states.get(spec.name)!;
        if (result.latencyMs !== undefined) states.set(spec.name, { ...state, latencyMs: result.latencyMs });
        return;
      }
      observe(spec, result);
    } catch (error) {
      if (isCancellation(error)) return;
      // Not retryable (e.g. no driver for it on the workers): say so, and look again later.
      const state = states.get(spec.name)!;
      states.set(spec.name, { ...state, message: `not watched: ${describeFailure(error)}` });
      await condition(() => endReason !== undefined || draining || states.get(spec.name) !== state, 30_000);
    } finally {
      loop.watch = undefined;
    }
  }

  /** Waits out the backoff (an operator's restart or the end interrupts it), then stop + start + await ready. */
  async function restart(spec: ServiceSpec, due: SupervisedService): Promise<void> {
    const waitMs = (due.restartAtMs ?? Date.now()) - Date.now();
    if (waitMs > 0) {
      const interrupted = await condition(
        () => endReason !== undefined || draining || states.get(spec.name) !== due,
        waitMs,
      );
      if (interrupted) return;
    }
    const policy = supervisionOf(spec);
    states.set(spec.name, recordRestart(states.get(spec.name)!, policy, Date.now()));
    log.info('restarting service', { service: spec.name, cause: due.message });
    const activities = {
      stop: proxyActivities<BootActivities>({ ...stopOptions(spec), summary: `stop ${spec.name}` }).stopService,
      start: proxyActivities<BootActivities>({ ...startOptions(spec), summary: `start ${spec.name}` }).startService,
      awaitReady: proxyActivities<BootActivities>({ ...probeOptions(spec), summary: `probe ${spec.name}` }).awaitReady,
    };
    try {
      // Stop first: an unhealthy process still runs, and a start would find it and keep it.
      const started = await CancellationScope.nonCancellable(async () => {
        await activities.stop(ref(spec));
        return activities.start({ ...ref(spec), ...readyIfRunning(spec, () => []) });
      });
      const ready = started.ready ?? (await restartScope.run(() => activities.awaitReady(ref(spec))));
      observe(spec, {
        kind: ready.outcome === 'degraded' ? 'degraded' : 'healthy',
        atMs: ready.readyAtMs,
      });
    } catch (error) {
      if (isCancellation(error)) return;
      observe(spec, failureObservation(describeFailure(error), Date.now()));
    }
  }

  async function stopFor(spec: ServiceSpec, loop: ServiceLoop): Promise<void> {
    const cause = loop.stopPending;
    loop.stopPending = undefined;
    try {
      await CancellationScope.nonCancellable(() =>
        proxyActivities<BootActivities>({ ...stopOptions(spec), summary: `stop ${spec.name}` }).stopService(ref(spec)),
      );
      log.info('stopped service', { service: spec.name, cause });
    } catch (error) {
      log.error('stop failed', { service: spec.name, error: describeFailure(error) });
    }
  }

  /** Starts an on-demand service (or a dependency of one) now; up ones are only marked as used. */
  async function startOnDemand(spec: ServiceSpec): Promise<void> {
    const state = states.get(spec.name)!;
    const now = Date.now();
    if (upPhases.includes(state.phase)) return void states.set(spec.name, { ...state, lastUsedAtMs: now });
    const loop = loops.get(spec.name);
    if (loop) loop.busy = true;
    poke(spec.name);
    states.set(spec.name, { ...state, phase: 'restarting', sinceMs: now, message: 'starting on demand' });
    try {
      const started = await proxyActivities<BootActivities>({
        ...startOptions(spec),
        summary: `start ${spec.name}`,
      }).startService({ ...ref(spec), ...readyIfRunning(spec, () => []) });
      const ready =
        started.ready ??
        (await proxyActivities<BootActivities>({
          ...probeOptions(spec),
          summary: `probe ${spec.name}`,
        }).awaitReady(ref(spec)));
      observe(spec, { kind: ready.outcome === 'degraded' ? 'degraded' : 'healthy', atMs: ready.readyAtMs });
      states.set(spec.name, { ...states.get(spec.name)!, lastUsedAtMs: Date.now() });
    } catch (error) {
      observe(spec, failureObservation(describeFailure(error), Date.now()));
    } finally {
      if (loop) loop.busy = false;
    }
  }

  /** Stops an on-demand service (idle, or evicted): it stays stopped until asked for again. */
  async function stopOnDemand(spec: ServiceSpec, why: string): Promise<void> {
    const loop = loops.get(spec.name);
    if (loop) loop.busy = true;
    poke(spec.name);
    try {
      await proxyActivities<BootActivities>({ ...stopOptions(spec), summary: `stop ${spec.name}` }).stopService(
        ref(spec),
      );
      states.set(spec.name, {
        ...states.get(spec.name)!,
        phase: 'idle-stopped',
        sinceMs: Date.now(),
        message: why,
        upSinceMs: undefined,
      });
      log.info('stopped on-demand service', { service: spec.name, cause: why });
      applyDependencyEffects();
    } finally {
      if (loop) loop.busy = false;
    }
  }

  /** Observe → decide → act: the new state, breakers on edges into this service, then dependency effects. */
  function observe(spec: ServiceSpec, observation: Observation): void {
    const now = Date.now();
    const outcome = applyObservation(states.get(spec.name)!, observation, supervisionOf(spec), restartOwner(spec), now);
    states.set(spec.name, outcome.state);
    log.info('service changed', {
      service: spec.name,
      phase: outcome.state.phase,
      ...(outcome.state.message ? { cause: outcome.state.message } : {}),
    });
    const up = upPhases.includes(outcome.state.phase);
    for (const dependent of plan.services) {
      if (!dependent.dependsOn.some((d) => d.service === spec.name && d.kind === 'requires')) continue;
      const key = edgeKey(dependent.name, spec.name);
      const breaker = status.breakers[key] ?? closedBreaker;
      status.breakers[key] = up
        ? breakerSuccess(breaker)
        : breakerFailure(breaker, supervisionOf(dependent).breaker, now);
    }
    applyDependencyEffects();
  }

  function applyDependencyEffects(): void {
    const effects = dependencyEffects(plan.services, Object.fromEntries(states), status.breakers);
    for (const [name, change] of Object.entries(effects.changes)) states.set(name, { ...states.get(name)!, ...change });
    const now = Date.now();
    for (const action of effects.actions) {
      const state = states.get(action.service)!;
      log.info('dependency effect', { ...action });
      if (action.action === 'stop') {
        states.set(action.service, { ...state, phase: 'stopped', sinceMs: now, message: action.cause });
        const loop = loops.get(action.service);
        if (loop) loop.stopPending = action.cause;
        poke(action.service);
      } else {
        states.set(action.service, {
          ...state,
          phase: 'restarting',
          sinceMs: now,
          restartAtMs: now,
          message: action.cause,
        });
        poke(action.service);
      }
    }
  }

  /** Open breakers turn half-open after their time; a half-open edge whose dependency is up closes. */
  async function tickBreakers(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const dueTimes = Object.entries(status.breakers).flatMap(([key, breaker]) => {
        const spec = specs.get(key.split('->')[0]!);
        const at = spec ? breakerHalfOpensAtMs(breaker, supervisionOf(spec).breaker) : undefined;
        return at === undefined ? [] : [at];
      });
      const before = JSON.stringify(status.breakers);
      const changed = () => endReason !== undefined || draining || JSON.stringify(status.breakers) !== before;
      if (dueTimes.length === 0) await condition(changed);
      else await condition(changed, Math.max(1, Math.min(...dueTimes) - now));
      if (endReason !== undefined || draining) return;
      let moved = false;
      for (const [key, breaker] of Object.entries(status.breakers)) {
        const [dependent, dependency] = key.split('->') as [string, string];
        const spec = specs.get(dependent);
        if (!spec) continue;
        let next = breakerTick(breaker, supervisionOf(spec).breaker, Date.now());
        const dependencyState = states.get(dependency);
        if (next.state === 'half-open' && dependencyState && upPhases.includes(dependencyState.phase))
          next = breakerSuccess(next);
        if (next !== breaker) {
          status.breakers[key] = next;
          moved = true;
        }
      }
      if (moved) applyDependencyEffects();
    }
  }
}

/** A service as the boot left it. */
function initialState(service: ServiceStatus, nowMs: number): SupervisedService {
  const phase =
    service.phase === 'healthy' || service.phase === 'degraded' || service.phase === 'completed'
      ? service.phase
      : 'failed';
  return {
    name: service.name,
    critical: service.critical,
    phase,
    sinceMs: nowMs,
    ...(phase === 'failed' ? { message: `not ready after the boot: ${service.error ?? service.phase}` } : {}),
    ...(phase === 'healthy' || phase === 'degraded' ? { upSinceMs: service.readyAtMs ?? nowMs } : {}),
    // Until supervision's first probe reports, the health shows the readiness check's last latency.
    ...(service.latencyMs === undefined ? {} : { latencyMs: service.latencyMs }),
    restarts: 0,
    recentRestartsMs: [],
    blockedBy: [],
  };
}

function fail(message: string): never {
  throw new Error(message);
}
