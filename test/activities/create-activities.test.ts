import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities/create-activities';
import type {
  AwaitReadyResult,
  ProbeProgress,
  StartServiceResult,
  StartServicesResult,
} from '../../src/contract/activities';
import type { Driver, RuntimeState } from '../../src/drivers/driver';
import type { ServiceSpec } from '../../src/plan/types';
import { processService } from '../support/service-spec';

/** A driver whose runtime state the test scripts; it records what was asked of it. */
function fakeDriver(states: RuntimeState[], owner = 'boot-1') {
  const calls: string[] = [];
  let index = 0;
  const driver: Driver = {
    start: async () => {
      calls.push('start');
      return { instance: 'fake', created: true, ownerBootId: owner };
    },
    inspect: async () => states[Math.min(index++, states.length - 1)]!,
    stop: async () => {
      calls.push('stop');
      return { stopped: true };
    },
  };
  return { driver, calls };
}

const service = processService;

const closedPortCheck = {
  probe: { kind: 'tcp' as const, host: '127.0.0.1', port: 1 },
  timing: {
    intervalMs: 50,
    timeoutMs: 100,
    retries: 3,
    successThreshold: 1,
    startPeriodMs: 60_000,
    startIntervalMs: 20,
  },
  preChecks: [],
};

const input = (spec: ServiceSpec) => ({ plan: 'demo', bootId: 'boot-1', service: spec });

describe('activities', () => {
  it('startService stamps the start time and reports what the driver did', async () => {
    const { driver, calls } = fakeDriver([{ phase: 'running' }]);
    const result = (await new MockActivityEnvironment().run(
      createActivities({ drivers: { process: driver } }).startService,
      input(service()),
    )) as StartServiceResult;
    expect(result).toMatchObject({ instance: 'fake', created: true, ownerBootId: 'boot-1' });
    expect(result.startedAtMs).toBeGreaterThan(0);
    expect(calls).toEqual(['start']);
  });

  it('startServices starts each of a batch as startService would; one that fails fails only its own entry', async () => {
    const started: string[] = [];
    const driver: Driver = {
      start: async (_ctx, spec) => {
        if (spec.name === 'queue') throw new Error('spawn /bin/queue ENOENT');
        started.push(spec.name);
        return { instance: `pid of ${spec.name}`, created: true, ownerBootId: 'boot-1' };
      },
      inspect: async () => ({ phase: 'running' }),
      stop: async () => ({ stopped: true }),
    };
    const told: string[] = [];
    const activities = createActivities({
      drivers: { process: driver },
      notifyDependents: async (ids, update) => {
        told.push(`${update.service} ${update.phase} -> ${ids.join(',')}`);
        return ids;
      },
    });
    const results = (await new MockActivityEnvironment().run(activities.startServices, {
      starts: [
        { ...input(service({ name: 'db' })), readyIfRunning: { notify: ['apps'] } },
        input(service({ name: 'queue' })),
        { ...input(service({ name: 'cache', health: closedPortCheck })), notify: ['apps'] },
      ],
    })) as StartServicesResult;
    expect(results).toMatchObject([
      { started: { instance: 'pid of db', ready: { outcome: 'healthy' }, notified: ['apps'] } },
      { failed: 'spawn /bin/queue ENOENT' },
      { started: { instance: 'pid of cache', notified: ['apps'] } },
    ]);
    // A service with a check is left to awaitReady, as a lone start leaves it.
    expect((results[2] as { started: StartServiceResult }).started.ready).toBeUndefined();
    expect(started.sort()).toEqual(['cache', 'db']);
    expect(told.sort()).toEqual(['cache probing -> apps', 'db healthy -> apps']);
  });

  it('tells the waiting waves directly that a service is probing, then its outcome, and returns who was told', async () => {
    const { driver } = fakeDriver([{ phase: 'running' }]);
    const told: string[] = [];
    const activities = createActivities({
      drivers: { process: driver },
      // The wave "b" has ended: it cannot be told, so it is not reported as told.
      notifyDependents: async (ids, update) => {
        told.push(`${update.service} ${update.phase} -> ${ids.join(',')}`);
        return ids.filter((id) => id !== 'b');
      },
    });
    const withNotify = { ...input(service()), notify: ['a', 'b'] };
    const started = (await new MockActivityEnvironment().run(
      activities.startService,
      withNotify,
    )) as StartServiceResult;
    const ready = (await new MockActivityEnvironment().run(activities.awaitReady, withNotify)) as AwaitReadyResult;
    expect(told).toEqual(['api probing -> a,b', 'api healthy -> a,b']);
    expect(started.notified).toEqual(['a']);
    expect(ready.notified).toEqual(['a']);
  });

  describe('a start asked to settle readiness itself (readyIfRunning)', () => {
    const told: string[] = [];
    const notifyDependents = async (ids: string[], update: { service: string; phase: string }) => {
      told.push(`${update.service} ${update.phase} -> ${ids.join(',')}`);
      return ids;
    };
    const startWith = (driver: Driver, spec: ServiceSpec) =>
      new MockActivityEnvironment().run(
        createActivities({ drivers: { process: driver }, notifyDependents }).startService,
        {
          ...input(spec),
          notify: ['starts'],
          readyIfRunning: { notify: ['starts', 'ready'] },
        },
      ) as Promise<StartServiceResult>;
    beforeEach(() => (told.length = 0));

    it('reports a running service without a check healthy, and tells the waves of readyIfRunning so', async () => {
      const { driver } = fakeDriver([{ phase: 'running' }]);
      const started = await startWith(driver, service());
      expect(started.ready).toMatchObject({ outcome: 'healthy', attempts: 0, lastOutput: '' });
      expect(started.ready!.readyAtMs).toBeGreaterThanOrEqual(started.startedAtMs);
      expect(started.notified).toEqual(['starts', 'ready']);
      expect(told).toEqual(['api healthy -> starts,ready']);
    });

    it.each([
      ['has a check', service({ health: closedPortCheck }), [{ phase: 'running' }]],
      ['is a one-shot', service({ oneShot: true }), [{ phase: 'running' }]],
      ['has already exited', service(), [{ phase: 'exited', exitCode: 3, logTail: 'fatal' }]],
      ['is not found', service(), [{ phase: 'absent' }]],
    ] as [string, ServiceSpec, RuntimeState[]][])(
      'leaves a service that %s to awaitReady: only the start is reported',
      async (_why, spec, states) => {
        const { driver } = fakeDriver(states);
        const started = await startWith(driver, spec);
        expect(started.ready).toBeUndefined();
        expect(told).toEqual(['api probing -> starts']);
      },
    );

    it('leaves a service to awaitReady when its driver has readiness of its own', async () => {
      const { driver } = fakeDriver([{ phase: 'running' }]);
      const started = await startWith({ ...driver, awaitNativeReady: async () => undefined }, service());
      expect(started.ready).toBeUndefined();
      expect(told).toEqual(['api probing -> starts']);
    });
  });

  it('startService without a driver for the target is a plan error', async () => {
    const activities = createActivities({ drivers: {} });
    await expect(new MockActivityEnvironment().run(activities.startService, input(service()))).rejects.toThrow(
      'service api: no process driver is configured on this worker',
    );
  });

  it('a running service without a check is healthy at its first look, and costs the server no heartbeat', async () => {
    const { driver } = fakeDriver([{ phase: 'running' }]);
    const env = new MockActivityEnvironment();
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details) => heartbeats.push(details));
    const result = (await env.run(
      createActivities({ drivers: { process: driver } }).awaitReady,
      input(service()),
    )) as AwaitReadyResult;
    expect(result.outcome).toBe('healthy');
    expect(heartbeats).toEqual([]);
  });

  it('a one-shot that exits 0 is completed', async () => {
    const { driver } = fakeDriver([{ phase: 'running' }, { phase: 'exited', exitCode: 0, logTail: 'done' }]);
    const result = (await new MockActivityEnvironment().run(
      createActivities({ drivers: { process: driver } }).awaitReady,
      input(service({ oneShot: true })),
    )) as AwaitReadyResult;
    expect(result.outcome).toBe('completed');
  });

  it('an exit fails at once with the exit code and the end of the log, without waiting out the timeout', async () => {
    const { driver } = fakeDriver([{ phase: 'exited', exitCode: 3, logTail: 'line 1\nline 2\nfatal: no config\n' }]);
    const activities = createActivities({ drivers: { process: driver } });
    const started = Date.now();
    await expect(
      new MockActivityEnvironment().run(
        activities.awaitReady,
        input(service({ health: closedPortCheck, startTimeoutMs: 60_000 })),
      ),
    ).rejects.toMatchObject({
      name: 'TerminalServiceError',
      message: 'service api exited with code 3: line 1 | line 2 | fatal: no config',
    });
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  describe("while the driver's own readiness watch is pending", () => {
    /** A driver with a native readiness wait the test settles; it counts how often the service was inspected. */
    function watchedDriver() {
      let inspections = 0;
      let settle: { ready(): void; fail(error: Error): void } | undefined;
      const driver: Driver = {
        ...fakeDriver([]).driver,
        inspect: async () => {
          inspections++;
          return { phase: 'running' };
        },
        awaitNativeReady: () => new Promise<void>((resolve, reject) => (settle = { ready: resolve, fail: reject })),
      };
      return { driver, inspections: () => inspections, settle: () => settle! };
    }

    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] }));
    afterEach(() => jest.useRealTimers());

    it("looks at the service only every 2 s, and takes the watch's answer at once", async () => {
      const watched = watchedDriver();
      const running = new MockActivityEnvironment().run(
        createActivities({ drivers: { process: watched.driver } }).awaitReady,
        input(service({ startTimeoutMs: 60_000 })),
      ) as Promise<AwaitReadyResult>;
      await jest.advanceTimersByTimeAsync(1500);
      expect(watched.inspections()).toBe(1);
      watched.settle().ready();
      await jest.advanceTimersByTimeAsync(0);
      expect(watched.inspections()).toBe(2);
      expect((await running).outcome).toBe('healthy');
    });

    it('waits for the watch up to the deadline itself, not one poll interval short of it', async () => {
      const watched = watchedDriver();
      const running = new MockActivityEnvironment().run(
        createActivities({ drivers: { process: watched.driver } }).awaitReady,
        input(service({ startTimeoutMs: 3000 })),
      ) as Promise<AwaitReadyResult>;
      const outcome = running.then(
        () => 'resolved',
        (error: Error) => error.name,
      );
      await jest.advanceTimersByTimeAsync(2900);
      watched.settle().ready();
      await jest.advanceTimersByTimeAsync(0);
      expect(await outcome).toBe('resolved');
    });

    it("reports the service's own end when the watch fails during a look that still found it running", async () => {
      let looks = 0;
      let fail: ((error: Error) => void) | undefined;
      const driver: Driver = {
        ...fakeDriver([]).driver,
        inspect: async () => {
          looks++;
          if (looks === 1) fail!(new Error('job/migrate failed: DeadlineExceeded'));
          return looks === 1 ? { phase: 'running' } : { phase: 'exited', exitCode: 1, logTail: 'deadline exceeded' };
        },
        awaitNativeReady: () => new Promise<void>((_resolve, reject) => (fail = reject)),
      };
      const outcome = new MockActivityEnvironment()
        .run(createActivities({ drivers: { process: driver } }).awaitReady, input(service({ startTimeoutMs: 60_000 })))
        .then(
          () => 'resolved',
          (error: Error) => error.message,
        );
      await jest.advanceTimersByTimeAsync(0);
      expect(await outcome).toBe('service api exited with code 1: deadline exceeded');
      expect(looks).toBe(2);
    });

    it('fails as soon as the watch reports a terminal failure', async () => {
      const watched = watchedDriver();
      const running = new MockActivityEnvironment().run(
        createActivities({ drivers: { process: watched.driver } }).awaitReady,
        input(service({ startTimeoutMs: 60_000 })),
      );
      const outcome = running.then(
        () => 'resolved',
        (error: Error) => error.message,
      );
      await jest.advanceTimersByTimeAsync(500);
      watched.settle().fail(new Error('job/migrate failed: BackoffLimitExceeded'));
      await jest.advanceTimersByTimeAsync(0);
      expect(await outcome).toBe('job/migrate failed: BackoffLimitExceeded');
    });
  });

  it('times out with the last probe output when the check never passes', async () => {
    const { driver } = fakeDriver([{ phase: 'running' }]);
    const activities = createActivities({ drivers: { process: driver } });
    await expect(
      new MockActivityEnvironment().run(
        activities.awaitReady,
        input(service({ health: closedPortCheck, startTimeoutMs: 300 })),
      ),
    ).rejects.toMatchObject({
      name: 'HealthTimeoutError',
      message: 'service api not healthy after 300 ms: connect ECONNREFUSED 127.0.0.1:1',
    });
  });

  it('resumes from the heartbeat details of an earlier attempt: same start time, counters carried on', async () => {
    const { driver } = fakeDriver([{ phase: 'running' }]);
    const earlier: ProbeProgress = {
      startedAtMs: Date.now() - 5000,
      attempts: 41,
      stage: 0,
      stages: 1,
      stageName: 'tcp',
      stageStartedAtMs: Date.now() - 5000,
      consecutiveSuccesses: 0,
      consecutiveFailures: 0,
      lastOutput: 'connect ECONNREFUSED',
      degraded: [],
    };
    const env = new MockActivityEnvironment({ heartbeatDetails: earlier });
    const activities = createActivities({ drivers: { process: driver } });
    // The budget counts from the first attempt: 5 s already spent of 5.2 s.
    await expect(
      env.run(activities.awaitReady, input(service({ health: closedPortCheck, startTimeoutMs: 5200 }))),
    ).rejects.toMatchObject({
      name: 'HealthTimeoutError',
    });
    const result = (await env.run(
      createActivities({ drivers: { process: driver } }).awaitReady,
      input(service()),
    )) as AwaitReadyResult;
    expect(result.attempts).toBe(41);
    expect(result.durationMs).toBeGreaterThanOrEqual(5000);
  });

  it('stops probing when the activity is cancelled', async () => {
    const { driver } = fakeDriver([{ phase: 'running' }]);
    const env = new MockActivityEnvironment();
    const running = env.run(
      createActivities({ drivers: { process: driver } }).awaitReady,
      input(service({ health: closedPortCheck, startTimeoutMs: 60_000 })),
    );
    setTimeout(() => env.cancel(), 200);
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  });

  it('rollback leaves a service another boot started', async () => {
    const { driver, calls } = fakeDriver([{ phase: 'running', ownerBootId: 'earlier-boot' }]);
    const activities = createActivities({ drivers: { process: driver } });
    const result = await new MockActivityEnvironment().run(activities.stopService, {
      ...input(service()),
      onlyIfOwnedBy: 'boot-1',
    });
    expect(result).toEqual({ stopped: false });
    expect(calls).toEqual([]);
  });

  it('rollback stops a service this boot started', async () => {
    const { driver, calls } = fakeDriver([{ phase: 'running', ownerBootId: 'boot-1' }]);
    const activities = createActivities({ drivers: { process: driver } });
    expect(
      await new MockActivityEnvironment().run(activities.stopService, { ...input(service()), onlyIfOwnedBy: 'boot-1' }),
    ).toEqual({ stopped: true });
    expect(calls).toEqual(['stop']);
  });

  it('starts and stops heartbeat while the driver works, so a dead worker is noticed within seconds', async () => {
    const slow = async <T>(value: T) => {
      await new Promise((resolve) => setTimeout(resolve, 1300));
      return value;
    };
    const driver: Driver = {
      start: () => slow({ instance: 'slow', created: true, ownerBootId: 'boot-1' }),
      inspect: async () => ({ phase: 'running', ownerBootId: 'boot-1' }),
      stop: () => slow({ stopped: true }),
    };
    const activities = createActivities({ drivers: { process: driver } });
    for (const [name, run] of [
      ['startService', () => activities.startService(input(service()))],
      ['stopService', () => activities.stopService({ ...input(service()), onlyIfOwnedBy: 'boot-1' })],
    ] as const) {
      const env = new MockActivityEnvironment();
      let heartbeats = 0;
      env.on('heartbeat', () => heartbeats++);
      await env.run(run);
      // One every 500 ms while the driver works (1.3 s); none at once (the timeout counts from the start).
      expect({ name, heartbeats }).toEqual({ name, heartbeats: 2 });
    }
  });

  it('a probe heartbeats its progress between rounds, also while one round takes long', async () => {
    const { driver } = fakeDriver([{ phase: 'running' }]);
    const env = new MockActivityEnvironment();
    const heartbeats: ProbeProgress[] = [];
    env.on('heartbeat', (details: ProbeProgress) => heartbeats.push(details));
    // A check slower than the heartbeat interval: a command that takes 1.2 s to time out.
    const blackHole = { kind: 'exec' as const, argv: ['sleep', '5'] };
    const spec = service({
      startTimeoutMs: 1000,
      health: { ...closedPortCheck, probe: blackHole, timing: { ...closedPortCheck.timing, timeoutMs: 1200 } },
    });
    await expect(env.run(createActivities({ drivers: { process: driver } }).awaitReady, input(spec))).rejects.toThrow(
      'not healthy after 1000 ms',
    );
    // Twice while the 1.2 s round runs (every 500 ms), each with the same start.
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(heartbeats.every((progress) => progress.startedAtMs === heartbeats[0]!.startedAtMs)).toBe(true);
  });

  it('hands a probe over when the worker shuts down: heartbeats its progress and fails retryably at once', async () => {
    const { driver } = fakeDriver([{ phase: 'running' }]);
    const shutdown = new AbortController();
    const env = new MockActivityEnvironment();
    const heartbeats: ProbeProgress[] = [];
    env.on('heartbeat', (details: ProbeProgress) => heartbeats.push(details));
    // A probe that would wait 60 s for its next round.
    const spec = service({
      startTimeoutMs: 120_000,
      health: { ...closedPortCheck, timing: { ...closedPortCheck.timing, startIntervalMs: 60_000 } },
    });
    const activities = createActivities({ drivers: { process: driver }, shuttingDown: shutdown.signal });
    setTimeout(() => shutdown.abort(), 200);
    const began = Date.now();
    const error = await env.run(activities.awaitReady, input(spec)).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({
      name: 'WorkerShutdownError',
      message: 'probe of api handed over after 1 rounds: this worker is shutting down',
    });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(heartbeats.at(-1)).toMatchObject({ attempts: 1 });
  });
});
