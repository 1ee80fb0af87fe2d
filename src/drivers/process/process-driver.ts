import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import type { InstanceSlot } from '../../contract/activities';
import { PlanError } from '../../errors';
import { isFolder } from '../../is-folder';
import type { ProcessTarget, ServiceSpec } from '../../plan/types';
import type { Driver, DriverContext, RuntimeState, StartOutcome, StopOutcome } from '../driver';
import { findByEnvPrefix, GroupWatch, pidStartTicks } from './proc-info';
import { ServiceFiles, stateRoot, type ProcessRecord } from './process-state';
import { resolveSecretEnv } from '../../secrets/resolve-secret-env';
import { createSecretResolver, type SecretResolver } from '../../secrets/secret-resolver';
import { sharedSpawner, type Spawner } from './spawner';
import { withStartLock } from './start-lock';

const markerKey = 'BOOTWAVE_INSTANCE';

/**
 * Runs a service as a local process that outlives the worker: detached in its own process group, output to a log
 * file, under a tiny `sh` supervisor that records the exit code. Idempotent: a record on disk (pid + the pid's
 * start time + a hash of the definition) lets a retried or resumed start find the process it started, and an
 * environment marker finds one started just before a crash, before the record was written.
 */
export class ProcessDriver implements Driver {
  constructor(
    private readonly root: string = stateRoot(),
    private readonly secrets: SecretResolver = createSecretResolver(),
    private readonly spawner: Spawner = sharedSpawner,
  ) {}

  /**
   * One start of a service instance at a time, across the workers sharing the state directory and within this one
   * (`start-lock.ts`): a retry the server scheduled while the first attempt still runs (its heartbeats missed on a
   * starved event loop) waits for it and then finds its record, instead of spawning a second process.
   */
  async start(ctx: DriverContext, service: ServiceSpec): Promise<StartOutcome> {
    const files = new ServiceFiles(this.root, ctx.plan, instanceName(service.name, ctx.slot));
    return withStartLock(files.dir, () => this.startNow(ctx, service));
  }

  private async startNow(ctx: DriverContext, service: ServiceSpec): Promise<StartOutcome> {
    const target = processTarget(service);
    const instance = instanceName(service.name, ctx.slot);
    const files = new ServiceFiles(this.root, ctx.plan, instance);
    const hash = specHash(target);
    const instanceMarker = `${ctx.plan}/${instance}/${hash}/${ctx.bootId}`;
    if (service.oneShot) {
      const completed = completedRun(files, instanceMarker, hash, ctx.bootId);
      if (completed) return completed;
    }
    const current = this.running(files);
    if (current?.specHash === hash)
      return { instance: `pid ${current.pid}`, created: false, ownerBootId: current.ownerBootId };
    if (current) await stopGroup(current.pid, target.stopGraceMs);

    // Only a start interrupted between spawn and record can have left a process without a record; searching
    // every process's environment for the marker costs tens of ms, so it is done only then.
    // So is a record whose supervisor died alone (killed by hand): the service it ran may still hold its ports.
    const leftBehind = files.readRecord() !== undefined && current === undefined;
    const orphan = files.startWasInterrupted() || leftBehind ? findOrphan(ctx.plan, instance) : undefined;
    if (orphan?.leader && orphan.hash === hash && files.startWasInterrupted()) {
      files.writeRecord({
        pid: orphan.pid,
        pidStartTicks: pidStartTicks(orphan.pid) ?? 0,
        specHash: hash,
        ownerBootId: orphan.owner,
        startedAtMs: Date.now(),
      });
      files.clearStarting();
      return { instance: `pid ${orphan.pid}`, created: false, ownerBootId: orphan.owner };
    }
    if (orphan) await stopGroup(orphan.pgid, target.stopGraceMs);

    // Read only now, on this worker: the values go to the child's environment (through the spawn helper's pipe)
    // and nowhere else.
    const secretEnv = await resolveSecretEnv(target.secretEnv, this.secrets);
    files.markStarting();
    rmSync(files.exitCode, { force: true });
    // argv reaches the service as "$@": plan values are never parsed by the shell.
    const pid = await this.spawner
      .spawn({
        file: '/bin/sh',
        // The exit file names the run (supervisor pid, marker), so a retried start knows which run it describes.
        // The trap keeps the supervisor through the SIGTERM a stop sends the group: it waits for its service, reaps
        // it and records how it ended, then exits to the spawn helper, which reaps it. Without it the shell died
        // first and left its service a zombie for init, which some hosts reap only about once a second, and a stop
        // cannot tell a zombie-only group from a live one without scanning every process (BENCHMARKS.md).
        // The service itself gets SIGTERM's default: a trapped signal is reset by exec.
        args: [
          '-c',
          'trap : TERM; "$@"; echo "$? $$ $BOOTWAVE_INSTANCE" > "$BOOTWAVE_EXIT_FILE"',
          'bootwave-supervisor',
          ...target.command,
        ],
        cwd: target.cwd,
        env: {
          ...process.env,
          ...target.env,
          ...secretEnv,
          BOOTWAVE_EXIT_FILE: files.exitCode,
          [markerKey]: instanceMarker,
        },
        log: files.log,
      })
      .catch((error: Error) => {
        // spawn reports a missing working directory as the shell's ENOENT; retrying cannot make the folder.
        if (target.cwd !== undefined && !isFolder(target.cwd))
          throw new PlanError(`Failed to start ${service.name}: its working directory ${target.cwd} is not a folder`);
        throw new Error(`Failed to start ${service.name}: ${error.message}`);
      });
    const record: ProcessRecord = {
      pid,
      pidStartTicks: pidStartTicks(pid) ?? 0,
      specHash: hash,
      ownerBootId: ctx.bootId,
      startedAtMs: Date.now(),
    };
    files.writeRecord(record);
    files.clearStarting();
    return { instance: `pid ${pid}`, created: true, ownerBootId: ctx.bootId };
  }

  async inspect(ctx: DriverContext, service: ServiceSpec): Promise<RuntimeState> {
    const files = new ServiceFiles(this.root, ctx.plan, instanceName(service.name, ctx.slot));
    const record = files.readRecord();
    if (!record) return { phase: 'absent' };
    // Liveness before the exit file: the supervisor writes the file and then exits, so a dead supervisor with
    // no file was killed, and one that exits between the two reads has already left its file.
    const alive = isSameProcess(record);
    const exitCode = files.readExitCode();
    if (exitCode !== undefined) return { phase: 'exited', exitCode, logTail: files.logTail() };
    if (alive) return { phase: 'running', detail: `pid ${record.pid}`, ownerBootId: record.ownerBootId };
    return { phase: 'exited', exitCode: -1, logTail: `terminated by a signal\n${files.logTail()}`.trim() };
  }

  async stop(ctx: DriverContext, service: ServiceSpec): Promise<StopOutcome> {
    if (ctx.slot !== undefined) return this.stopInstance(ctx.plan, service, instanceName(service.name, ctx.slot));
    // No slot named (down, a boot's rollback): both instances; the green one only exists after a start-first update.
    const blue = await this.stopInstance(ctx.plan, service, service.name);
    const green = instanceName(service.name, 'green');
    if (!existsSync(new ServiceFiles(this.root, ctx.plan, green).dir)) return blue;
    const other = await this.stopInstance(ctx.plan, service, green);
    return { stopped: blue.stopped || other.stopped };
  }

  private async stopInstance(plan: string, service: ServiceSpec, instance: string): Promise<StopOutcome> {
    const files = new ServiceFiles(this.root, plan, instance);
    const record = files.readRecord();
    const graceMs = service.target.driver === 'process' ? service.target.stopGraceMs : 5000;
    let stopped = false;
    if (record && isSameProcess(record)) {
      await stopGroup(record.pid, graceMs);
      stopped = true;
    }
    // An unrecorded process can only come from an interrupted start (see `start`); with no live record either,
    // the search is cheap insurance. A stopped live record and no interrupted start leave nothing to find.
    const mayHaveOrphan = !stopped || files.startWasInterrupted();
    const orphan = mayHaveOrphan ? findOrphan(plan, instance) : undefined;
    if (orphan) {
      await stopGroup(orphan.pgid, graceMs);
      stopped = true;
    }
    files.removeRecord();
    files.clearStarting();
    return { stopped };
  }

  private running(files: ServiceFiles): ProcessRecord | undefined {
    const record = files.readRecord();
    if (!record || !isSameProcess(record)) return undefined;
    return files.readExitCode() === undefined ? record : undefined;
  }
}

/**
 * A one-shot that already ran to completion in this boot with this definition (a migration): a retried or resumed
 * start must report that run, not run it again. The exit file names the run, so this holds even when the worker
 * died between spawning it and writing its record; the record is then written for `inspect` and `stop`.
 */
function completedRun(files: ServiceFiles, marker: string, hash: string, bootId: string): StartOutcome | undefined {
  const exit = files.readExit();
  if (exit?.code !== 0 || exit.instance !== marker || exit.pid === undefined) return undefined;
  if (files.readRecord()?.pid !== exit.pid)
    files.writeRecord({
      pid: exit.pid,
      pidStartTicks: -1,
      specHash: hash,
      ownerBootId: bootId,
      startedAtMs: Date.now(),
    });
  files.clearStarting();
  return { instance: `pid ${exit.pid}`, created: false, ownerBootId: bootId };
}

/** Where an instance's files and environment marker live: `<service>` (blue) or `<service>@green`. */
function instanceName(service: string, slot: InstanceSlot | undefined): string {
  return slot === 'green' ? `${service}@green` : service;
}

function processTarget(service: ServiceSpec): ProcessTarget {
  if (service.target.driver !== 'process') throw new PlanError(`service ${service.name} is not a process service`);
  return service.target;
}

function specHash(target: ProcessTarget): string {
  // The secret references (not their values) are part of the definition; absent, hashes stay as they were.
  const definition = JSON.stringify([
    target.command,
    target.env,
    target.cwd ?? null,
    ...(target.secretEnv ? [target.secretEnv] : []),
  ]);
  return createHash('sha256').update(definition).digest('hex').slice(0, 16);
}

function isSameProcess(record: ProcessRecord): boolean {
  return pidStartTicks(record.pid) === record.pidStartTicks;
}

/** The supervisor of a service found by its environment marker: the group leader, as `sh` starts the group. */
function findOrphan(
  plan: string,
  service: string,
): { pid: number; pgid: number; leader: boolean; hash: string; owner: string } | undefined {
  const prefix = `${markerKey}=${plan}/${service}/`;
  const found = findByEnvPrefix(prefix);
  // The group's leader (the supervisor shell) when it lives; else a member it left behind when it was killed alone:
  // the service itself, still holding its ports, in the group the leader made.
  const member = found.find((f) => f.pid === f.pgid) ?? found[0];
  if (!member) return undefined;
  const [hash = '', owner = ''] = member.entry.slice(prefix.length).split('/');
  return { pid: member.pid, pgid: member.pgid, leader: member.pid === member.pgid, hash, owner };
}

/** SIGTERM to the whole group, SIGKILL after the grace period; resolves once nothing of it is left. */
async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {
      // Already gone.
    }
  };
  const group = new GroupWatch(pgid);
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (group.alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!group.alive()) return;
  signal('SIGKILL');
  const killDeadline = Date.now() + 5000;
  while (group.alive() && Date.now() < killDeadline) await new Promise((resolve) => setTimeout(resolve, 25));
}
