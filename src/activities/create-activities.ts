import { Context } from '@temporalio/activity';
import { PlanError } from '../errors';
import type { Driver, DriverContext, Drivers } from '../drivers/driver';
import type { ServiceSpec } from '../plan/types';
import { ListeningSockets } from '../probes/listening-sockets';
import { awaitReady } from './await-ready';
import { heartbeatWhile } from './heartbeat-while';
import { notifyWithWorkerClient, type NotifyDependents } from './notify-dependents';
import type {
  AwaitReadyResult,
  BootActivities,
  InstanceSlot,
  ServiceActivityInput,
  StartServiceInput,
  StartServiceResult,
  StopServiceInput,
} from '../contract/activities';
import { watchedSpecsQuery, type SupervisionActivities } from '../contract/supervision';
import { endSupervision } from './end-supervision';
import { watchService } from './watch-service';
import { watchServices } from './watch-services';
import type { SupervisionObserver } from './supervision-observer';

export interface ActivityDeps {
  drivers: Drivers;
  /** How waiting waves are told of a phase change (the worker's client; a fake in unit tests). */
  notifyDependents?: NotifyDependents;
  /** Aborted when the worker starts to shut down: probes hand over to the next worker (see `awaitReady`). */
  shuttingDown?: AbortSignal;
  /** The worker's metrics: told each supervision probe round and each finished boot. */
  observer?: SupervisionObserver;
  /** The specs a batch of watches watches, asked of its stack (the worker's client; a fake in unit tests). */
  watchedSpecs?: (names: string[], signal: AbortSignal) => Promise<ServiceSpec[]>;
}

/** Asks the stack workflow that scheduled the running activity for the specs of the services it watches. */
const askTheStack = (names: string[], signal: AbortSignal): Promise<ServiceSpec[]> => {
  const { client, info } = Context.current();
  const stack = info.workflowExecution?.workflowId;
  if (!stack) throw new PlanError('watchServices is scheduled by a stack workflow only');
  return client.withAbortSignal(signal, () => client.workflow.getHandle(stack).query(watchedSpecsQuery, names));
};

/**
 * A service with nothing to wait for (no check, not a one-shot, a driver without readiness of its own) is ready at
 * the first look that finds it running: `awaitReady` would look once and return. Anything else, including one
 * already gone, is left to `awaitReady`, which judges it as always.
 */
async function readyOnceRunning(
  driver: Driver,
  ctx: DriverContext,
  service: ServiceSpec,
): Promise<AwaitReadyResult | undefined> {
  if (service.health || service.oneShot || driver.awaitNativeReady) return undefined;
  const lookedAtMs = Date.now();
  if ((await driver.inspect(ctx, service)).phase !== 'running') return undefined;
  const readyAtMs = Date.now();
  // As `awaitReady` reports a service it had nothing to probe for: no rounds of a check.
  return { outcome: 'healthy', attempts: 0, lastOutput: '', durationMs: readyAtMs - lookedAtMs, readyAtMs };
}

/** The driver's view of an activity's input: the plan, the boot, and the instance slot when one is named. */
function driverContext(input: { plan: string; bootId: string; slot?: InstanceSlot }): DriverContext {
  return { plan: input.plan, bootId: input.bootId, ...(input.slot ? { slot: input.slot } : {}) };
}

/** The activities a worker registers, built from injected drivers (real ones in the worker, fakes in unit tests). */
export function createActivities({
  drivers,
  notifyDependents = notifyWithWorkerClient,
  shuttingDown,
  observer,
  watchedSpecs = askTheStack,
}: ActivityDeps): BootActivities & SupervisionActivities {
  const driverFor = (service: ServiceSpec): Driver => {
    const driver = drivers[service.target.driver];
    if (!driver)
      throw new PlanError(`service ${service.name}: no ${service.target.driver} driver is configured on this worker`);
    return driver;
  };
  // One per worker: every batch of every stack it watches shares the reads of the socket table.
  const listening = new ListeningSockets();
  const log = (input: ServiceActivityInput) => {
    const meta = { plan: input.plan, boot: input.bootId, service: input.service.name };
    return {
      info: (message: string, extra = {}) => Context.current().log.info(message, { ...meta, ...extra }),
      warn: (message: string, extra = {}) => Context.current().log.warn(message, { ...meta, ...extra }),
    };
  };

  /** A service's start; it settles readiness too when asked and there is nothing to wait for. */
  const startOne = async (input: StartServiceInput): Promise<StartServiceResult> => {
    const driver = driverFor(input.service);
    const ctx = driverContext(input);
    const outcome = await driver.start(ctx, input.service);
    const startedAtMs = Date.now();
    log(input).info(outcome.created ? 'service started' : 'service already running', {
      instance: outcome.instance,
    });
    const settle = input.readyIfRunning;
    const ready = settle ? await readyOnceRunning(driver, ctx, input.service) : undefined;
    if (settle && ready) {
      const notified = await notifyDependents(settle.notify, { service: input.service.name, phase: ready.outcome });
      log(input).info(`service ${ready.outcome}`, { attempts: ready.attempts, durationMs: ready.durationMs });
      return { ...outcome, startedAtMs, notified, ready };
    }
    const notified = await notifyDependents(input.notify ?? [], { service: input.service.name, phase: 'probing' });
    return { ...outcome, startedAtMs, notified };
  };

  return {
    // Starts and stops heartbeat while they work: a dead worker's start or stop moves on within seconds.
    startService: (input) => heartbeatWhile(() => startOne(input)),

    // Each start of a batch is its own: one failing fails only its entry, which the wave then starts alone.
    startServices: (input) =>
      heartbeatWhile(() =>
        Promise.all(
          input.starts.map((start) =>
            startOne(start).then(
              (started) => ({ started }),
              (error: unknown) => {
                const failed = error instanceof Error ? error.message : String(error);
                log(start).warn('start failed in a batch: the wave starts it alone', { error: failed });
                return { failed };
              },
            ),
          ),
        ),
      ),

    prepareService: (input) =>
      heartbeatWhile(async () => {
        const driver = driverFor(input.service);
        if (!driver.prepare) return { prepared: false };
        const outcome = await driver.prepare(driverContext(input), input.service);
        if (outcome.created) log(input).info('service prepared (created, not started)');
        return { prepared: outcome.created };
      }),

    async awaitReady(input) {
      const result = await awaitReady(driverFor(input.service), driverContext(input), input.service, shuttingDown);
      const notified = await notifyDependents(input.notify ?? [], {
        service: input.service.name,
        phase: result.outcome,
      });
      log(input).info(`service ${result.outcome}`, { attempts: result.attempts, durationMs: result.durationMs });
      return { ...result, notified };
    },

    stopService: (input: StopServiceInput) =>
      heartbeatWhile(async () => {
        const driver = driverFor(input.service);
        const ctx = driverContext(input);
        if (input.onlyIfOwnedBy) {
          const state = await driver.inspect(ctx, input.service);
          // Rollback never stops what another boot started (an earlier boot's services that this one reused).
          if (
            state.phase === 'running' &&
            state.ownerBootId !== undefined &&
            state.ownerBootId !== input.onlyIfOwnedBy
          ) {
            log(input).info('left running: started by another boot', { owner: state.ownerBootId });
            return { stopped: false };
          }
        }
        const outcome = await driver.stop(ctx, input.service);
        log(input).info(outcome.stopped ? 'service stopped' : 'nothing to stop');
        return outcome;
      }),

    watchService(input) {
      return watchService(driverFor(input.service), driverContext(input), input, (service, round) =>
        observer?.observeProbe(input.plan, service.name, round),
      );
    },

    watchServices(input) {
      return watchServices(
        {
          driverFor,
          specsOf: watchedSpecs,
          ...(shuttingDown ? { shuttingDown } : {}),
          listening,
          onRound: (service, round) => observer?.observeProbe(input.plan, service.name, round),
        },
        input,
      );
    },

    async recordBoot(input) {
      observer?.observeBoot(input.boot, input.waves);
    },

    endSupervision,
  };
}
