import { join } from 'node:path';
import type { Driver, DriverContext, ReadinessWatch, RuntimeState, StartOutcome, StopOutcome } from '../driver';
import { otherSlot, type InstanceSlot } from '../../contract/activities';
import type { DockerTarget, ServiceSpec } from '../../plan/types';
import { TerminalServiceError, wrapError } from '../../errors';
import {
  ContainerNameConflict,
  createDockerEngine,
  type ContainerEvent,
  type ContainerInfo,
  type DockerEngine,
} from './docker-engine';
import { containerCreateSpec, containerNetworks, containerSpecHash, serviceAliases } from './container-spec';
import { DockerLabels, containerName, instanceName, planNetworkName } from './docker-names';
import { stateRoot } from '../process/process-state';
import { resolveSecretEnv } from '../../secrets/resolve-secret-env';
import { removeSecretFiles, writeSecretFiles } from '../../secrets/secret-files';
import { createSecretResolver, type SecretResolver } from '../../secrets/secret-resolver';
import { decideConvergence, type Convergence, type Found } from '../convergence';

type DockerService = ServiceSpec & { target: DockerTarget };

/** Log lines quoted when a container fails. */
export const logTailLines = 20;

/**
 * How often bootwave begins a run of a container's HEALTHCHECK test itself while waiting for the first pass. A
 * `docker exec` takes 50–100 ms on a quiet 2-core machine and 300–900 ms under load, so runs overlap: one every
 * 100 ms, at most `maxChecksInFlight` at once. Waiting for each run to end and then 250 ms more (as before) saw a
 * service ready half a cycle plus one run after it was (bench/docker/RESULTS.md).
 */
const fastCheckIntervalMs = 100;
const maxChecksInFlight = 2;

/**
 * Runs services as containers on a Docker engine. Containers are named `bootwave-<plan>-<service>` and labelled
 * with plan, service, owning boot and a hash of their definition, so every call is idempotent: a retried start
 * reuses the container an earlier attempt made, and a changed definition replaces it.
 */
export class DockerDriver implements Driver {
  /** Per container ID: the engine's restart count and the exit code of its last death, when last read. */
  private readonly lastExits = new Map<string, { count: number; lastExitCode: number }>();

  constructor(
    private readonly engine: DockerEngine = createDockerEngine(),
    private readonly secrets: SecretResolver = createSecretResolver(),
    private readonly secretsRoot: string = join(stateRoot(), 'secrets'),
  ) {}

  async start(ctx: DriverContext, service: ServiceSpec): Promise<StartOutcome> {
    const svc = asDocker(service);
    const name = containerName(ctx.plan, svc.name, ctx.slot);
    const builtImageId = await this.builtImageId(svc);
    const existing = await this.engine.inspectContainer(name);
    const decision = decideConvergence(
      { specHash: containerSpecHash(ctx.plan, svc, builtImageId), oneShot: svc.oneShot },
      foundContainer(existing, ctx.bootId),
    );
    const replace = decision.action === 'replace' || (existing && (await this.lostSharedNetwork(ctx, svc, existing)));
    if (existing && !replace) return this.converge(existing, decision, ctx.bootId);
    if (existing) await this.engine.removeContainer(existing.id, graceSeconds(svc));
    const made = await this.create(ctx, svc, builtImageId);
    if (made.kind === 'raced') return this.converge(made.winner, made.decision, ctx.bootId);
    await this.startCreated(made.id, name);
    return { instance: name, created: true, ownerBootId: ctx.bootId };
  }

  /**
   * A container sharing a service's network (`service:<name>`) is cut off once that service's container is replaced
   * or restarted: it stays in the network of the container it joined. It is then replaced, as Compose recreates it.
   * One running joined the owner's network as it was when it started; one not running joins, when it starts, the
   * container its network mode names, which the engine keeps by ID when it existed at create.
   */
  private async lostSharedNetwork(ctx: DriverContext, svc: DockerService, info: ContainerInfo): Promise<boolean> {
    const mode = svc.target.networkMode;
    if (!mode?.startsWith('service:')) return false;
    const ownerName = containerName(ctx.plan, mode.slice('service:'.length));
    const owner = await this.engine.inspectContainer(ownerName);
    if (!owner) return false;
    if (info.status === 'running') return owner.startedAtMs > info.startedAtMs;
    return info.networkMode !== `container:${ownerName}` && info.networkMode !== `container:${owner.id}`;
  }

  /** A start the engine refuses (a port in use, a missing bind source) is the definition's fault: retrying cannot help. */
  private async startCreated(id: string, name: string): Promise<void> {
    try {
      await this.engine.startContainer(id);
    } catch (error) {
      throw new TerminalServiceError(`Failed to start container ${name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** A container never started (prepared, or left by a worker that died) fails as a fresh one; a stopped one retries. */
  private async startFound(info: ContainerInfo): Promise<void> {
    if (info.status === 'created') await this.startCreated(info.id, info.name);
    else await this.engine.startContainer(info.id);
  }

  /**
   * Creates the container without starting it, as Compose creates every container of a project up front: once the
   * service's gate opens, `start` finds it `created` with the same definition and only starts it (no image check,
   * network lookup, secret resolution or create on that path). Does nothing when anything already exists under the
   * service's name — a running container is for `start` to reuse or replace when its turn comes, never before.
   */
  async prepare(ctx: DriverContext, service: ServiceSpec): Promise<{ created: boolean }> {
    const svc = asDocker(service);
    if (await this.engine.inspectContainer(containerName(ctx.plan, svc.name, ctx.slot))) return { created: false };
    const made = await this.create(ctx, svc, await this.builtImageId(svc));
    return { created: made.kind === 'created' };
  }

  /** Image, networks, secrets, create and the extra networks; a concurrent create of the same name is a race lost. */
  private async create(
    ctx: DriverContext,
    svc: DockerService,
    builtImageId?: string,
  ): Promise<{ kind: 'created'; id: string } | { kind: 'raced'; winner: ContainerInfo; decision: Convergence }> {
    const name = containerName(ctx.plan, svc.name, ctx.slot);
    // A built image is there already: its ID came with the build (part of the definition).
    if (builtImageId === undefined) await this.ensureImage(svc.target);
    const networks = containerNetworks(ctx.plan, svc.target);
    for (const network of networks) await this.engine.ensureNetwork(network, { [DockerLabels.plan]: ctx.plan });
    // Read only now, on this worker: the values go to the engine and nowhere else.
    const resolved = {
      env: await resolveSecretEnv(svc.target.secretEnv, this.secrets),
      binds: svc.target.secrets?.length
        ? await writeSecretFiles(this.secretDir(ctx.plan, svc.name, ctx.slot), svc.target.secrets, this.secrets)
        : [],
    };
    // The new instance of a start-first update answers to the service's names only once the old one stops.
    const beside = ctx.slot !== undefined && (await this.otherSlotRuns(ctx.plan, svc, ctx.slot));
    let id: string;
    try {
      id = await this.engine.createContainer(
        containerCreateSpec(ctx.plan, ctx.bootId, svc, resolved, ctx.slot, !beside, builtImageId),
      );
    } catch (error) {
      if (!(error instanceof ContainerNameConflict)) throw wrapError(`create container ${name}`, error);
      // A concurrent attempt (a retried start, a prepare) won the race: its container is ours too. It may be only
      // created, not started: decide on what it is, as for any container found.
      const winner = await this.engine.inspectContainer(name);
      if (!winner) throw wrapError(`create container ${name}`, error);
      const found = foundContainer(winner, ctx.bootId);
      return {
        kind: 'raced',
        winner,
        decision:
          found.kind === 'created'
            ? { action: 'start-again', cause: 'a concurrent attempt created it' }
            : { action: 'reuse', cause: 'a concurrent attempt created it' },
      };
    }
    const aliases = serviceAliases(svc);
    for (const [i, network] of networks.entries())
      if (i > 0) await this.engine.connectNetwork(network, id, beside ? [] : aliases[i]!);
    return { kind: 'created', id };
  }

  async inspect(ctx: DriverContext, service: ServiceSpec): Promise<RuntimeState> {
    const name = containerName(ctx.plan, service.name, ctx.slot);
    const info = await this.engine.inspectContainer(name);
    if (!info) return { phase: 'absent' };
    if (info.status === 'exited' || info.status === 'dead')
      return { phase: 'exited', exitCode: info.exitCode, logTail: await this.logTail(info.id) };
    if (isRestartLooping(info))
      return { phase: 'exited', exitCode: await this.loopExitCode(info), logTail: await this.logTail(info.id) };
    return {
      phase: 'running',
      detail: info.health ? `${info.status}, ${info.health}` : info.status,
      ownerBootId: info.labels[DockerLabels.boot],
    };
  }

  /**
   * After the boot: a container the engine restarted (its restart policy) runs again and is `running`, with the
   * engine's restart count and the exit code of its last death (read once per restart: the events API is slow);
   * between two restarts it is `exited`. A failing HEALTHCHECK makes it not ready.
   */
  async inspectSteady(ctx: DriverContext, service: ServiceSpec): Promise<RuntimeState> {
    const name = containerName(ctx.plan, service.name, ctx.slot);
    const info = await this.engine.inspectContainer(name);
    if (!info) return { phase: 'absent' };
    if (info.status !== 'running' && info.status !== 'paused')
      return { phase: 'exited', exitCode: info.exitCode, logTail: await this.logTail(info.id) };
    let engineRestarts: { count: number; lastExitCode: number } | undefined;
    if (info.restartCount > 0) {
      const known = this.lastExits.get(info.id);
      engineRestarts =
        known?.count === info.restartCount
          ? known
          : { count: info.restartCount, lastExitCode: await this.loopExitCode(info) };
      this.lastExits.set(info.id, engineRestarts);
    }
    return {
      phase: 'running',
      detail: info.health ? `${info.status}, ${info.health}` : info.status,
      ownerBootId: info.labels[DockerLabels.boot],
      ...(info.health === 'unhealthy' ? { notReady: `container ${name} is unhealthy (its HEALTHCHECK fails)` } : {}),
      ...(engineRestarts ? { engineRestarts } : {}),
    };
  }

  /**
   * Waits for the container's own HEALTHCHECK to report healthy, from the engine's event stream (subscribed
   * before reading the current state, so no transition falls between the two). Without a HEALTHCHECK there is
   * nothing to wait for. A service with its own bootwave `health` check is gated on that check alone: the engine
   * runs the HEALTHCHECK at its interval (engines before API 1.44 ignore `start_interval`), while bootwave's probe
   * is what the user added to be faster. A container that dies or restarts is a terminal failure.
   */
  async awaitNativeReady(ctx: DriverContext, service: ServiceSpec, watch: ReadinessWatch): Promise<void> {
    const svc = asDocker(service);
    // A disabled HEALTHCHECK (test NONE, or Compose's `disable: true`) never reports: nothing to wait for either.
    if (!svc.target.healthcheck || svc.target.healthcheck.test[0] === 'NONE' || svc.oneShot || svc.health) return;
    const name = containerName(ctx.plan, svc.name, ctx.slot);
    const stop = new AbortController();
    const signals = [watch.signal, ctx.signal].filter((signal): signal is AbortSignal => signal !== undefined);
    const onAbort = () => stop.abort();
    for (const signal of signals) signal.addEventListener('abort', onAbort, { once: true });
    try {
      const events = await this.engine.containerEvents(name, stop.signal);
      const info = await this.engine.inspectContainer(name);
      if (!info)
        throw new TerminalServiceError(`container ${name} is absent (removed while waiting for it to become healthy)`);
      if (info.health === 'healthy') return;
      await this.failIfStopped(info, name);
      if (info.health === undefined && svc.target.healthcheck.test.length === 0)
        throw new TerminalServiceError(
          `container ${name} has no health check: the gate waits for the image's HEALTHCHECK, and image ${svc.target.image} defines none (Compose refuses service_healthy on it too)`,
        );
      watch.onProgress(`container ${info.health ?? info.status}`);
      const healthyEvent = this.untilHealthyEvent(name, events, watch, ctx);
      // Once the check has passed, ending the event stream makes this one reject: nobody is waiting for it then.
      healthyEvent.catch(() => undefined);
      // The event decides failures; whichever sees the check pass first decides readiness.
      // With the image's own test (an empty one here) bootwave cannot run it itself: the engine's event decides.
      const test = svc.target.healthcheck.test;
      await (test.length === 0
        ? healthyEvent
        : Promise.race([healthyEvent, this.untilCheckPasses(name, test, stop.signal)]));
    } finally {
      for (const signal of signals) signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  private async untilHealthyEvent(
    name: string,
    events: AsyncIterable<ContainerEvent>,
    watch: ReadinessWatch,
    ctx: DriverContext,
  ): Promise<void> {
    for await (const event of events) {
      if (event.action === 'health_status: healthy') return;
      if (event.action.startsWith('health_status'))
        watch.onProgress(`container ${event.action.slice('health_status: '.length)}`);
      else if (event.action === 'die' || event.action === 'destroy' || event.action === 'restart') {
        const now = await this.engine.inspectContainer(name);
        if (!now)
          throw new TerminalServiceError(`container ${name} was removed while waiting for it to become healthy`);
        await this.failIfStopped(now, name, event.exitCode);
        throw await this.exitedError(now, name, event.exitCode);
      }
    }
    const reason: unknown = watch.signal.aborted ? watch.signal.reason : ctx.signal?.reason;
    throw reason instanceof Error ? reason : new Error(`stopped waiting for container ${name} to become healthy`);
  }

  /**
   * Runs the HEALTHCHECK test itself, a run begun every `fastCheckIntervalMs`, until one passes: the engine runs it
   * only every `interval` (Debian's Docker 20.10 ignores `start_interval`), and one pass is all the engine needs to
   * report healthy at its next run. Never settles otherwise; a failing test is the engine's to judge.
   */
  private untilCheckPasses(name: string, test: string[], signal: AbortSignal): Promise<void> {
    const argv = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test.slice(1);
    return new Promise<void>((resolve) => {
      if (signal.aborted) return;
      let inFlight = 0;
      const begin = () => {
        if (signal.aborted || inFlight >= maxChecksInFlight) return;
        inFlight += 1;
        void this.engine
          .execInContainer(name, argv)
          .catch(() => undefined)
          .then((exitCode) => {
            inFlight -= 1;
            if (exitCode !== 0 || signal.aborted) return;
            clearInterval(timer);
            resolve();
          });
      };
      const timer = setInterval(begin, fastCheckIntervalMs);
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
      begin();
    });
  }

  /**
   * Stops and removes the container of the slot named, or with none (down, a boot's rollback) both instances; then,
   * when no container of the plan is left, the plan's networks. Nothing there is a no-op.
   */
  async stop(ctx: DriverContext, service: ServiceSpec): Promise<StopOutcome> {
    const svc = asDocker(service);
    const slots: (InstanceSlot | undefined)[] = ctx.slot ? [ctx.slot] : [undefined, 'green'];
    let stopped = false;
    for (const slot of slots) {
      const info = await this.engine.inspectContainer(containerName(ctx.plan, svc.name, slot));
      if (info) {
        // One instance of two (the old one after a start-first update, or the new one rolled back): the one that
        // stays answers to the service's names first, then this one leaves the networks before it stops, so no
        // caller reaches a stopping container by name.
        if (ctx.slot) {
          await this.takeOver(ctx.plan, svc, otherSlot(ctx.slot));
          for (const network of containerNetworks(ctx.plan, svc.target))
            await this.engine.disconnectNetwork(network, info.id);
        }
        await this.engine.removeContainer(info.id, graceSeconds(svc));
        this.lastExits.delete(info.id);
        stopped = true;
      }
      if (svc.target.secrets?.length) await removeSecretFiles(this.secretDir(ctx.plan, svc.name, slot));
    }
    await this.removePlanNetworksWhenUnused(ctx.plan);
    return { stopped };
  }

  private async otherSlotRuns(plan: string, svc: DockerService, slot: InstanceSlot): Promise<boolean> {
    const other = await this.engine.inspectContainer(containerName(plan, svc.name, otherSlot(slot)));
    return other?.status === 'running';
  }

  /**
   * Gives the slot's running container the service's names on the networks where it lacks them (reconnecting it
   * with them); one that has them — the old instance when its replacement is rolled back — keeps its connections.
   */
  private async takeOver(plan: string, svc: DockerService, slot: InstanceSlot): Promise<void> {
    const info = await this.engine.inspectContainer(containerName(plan, svc.name, slot));
    if (info?.status !== 'running') return;
    const aliases = serviceAliases(svc);
    for (const [i, network] of containerNetworks(plan, svc.target).entries()) {
      if (info.aliases[network]?.includes(svc.name)) continue;
      await this.engine.disconnectNetwork(network, info.id);
      await this.engine.connectNetwork(network, info.id, aliases[i]!);
    }
  }

  private secretDir(plan: string, service: string, slot: InstanceSlot | undefined): string {
    return join(this.secretsRoot, plan, instanceName(service, slot));
  }

  private async removePlanNetworksWhenUnused(plan: string): Promise<void> {
    const left = await this.engine.listContainers({ [DockerLabels.plan]: plan });
    if (left.length > 0) return;
    const networks = await this.engine.listNetworks({ [DockerLabels.plan]: plan });
    // The plan network last: named networks are scoped under it.
    networks.sort((a, b) => Number(a === planNetworkName(plan)) - Number(b === planNetworkName(plan)));
    for (const network of networks) await this.engine.removeNetwork(network);
  }

  /** Acts on a decision about an existing container with the same definition. */
  private async converge(info: ContainerInfo, decision: Convergence, bootId: string): Promise<StartOutcome> {
    if (decision.action === 'start-again') await this.startFound(info);
    const ownerBootId = info.labels[DockerLabels.boot] ?? '';
    // A container this boot prepared (created, never started) is started here for the first time.
    return { instance: info.name, created: info.status === 'created' && ownerBootId === bootId, ownerBootId };
  }

  /**
   * For a service whose plan builds its image: the image's ID (built now if the engine lacks it), which is part of
   * the container's definition. Undefined for an image the plan does not build.
   */
  private async builtImageId(svc: DockerService): Promise<string | undefined> {
    return svc.target.build ? this.ensureImage(svc.target) : undefined;
  }

  /**
   * The image, as Compose's `up` gets it: used when the engine has it; else built when the service says how (a
   * Dockerfile that fails will fail again: terminal), else pulled. Resolves with its ID.
   */
  private async ensureImage({ image, build }: DockerTarget): Promise<string> {
    const present = await this.engine.imageId(image);
    if (present !== undefined) return present;
    try {
      if (build) await this.engine.buildImage(image, build);
      else await this.engine.pullImage(image);
    } catch (error) {
      const message = (error as Error).message;
      throw new TerminalServiceError(
        build
          ? `Failed to build image ${image} from ${build.context}: ${message}`
          : `image ${image} not found locally and could not be pulled: ${message}`,
        { cause: error },
      );
    }
    const made = await this.engine.imageId(image);
    if (made === undefined)
      throw new Error(`image ${image} is not on the engine after its ${build ? 'build' : 'pull'}`);
    return made;
  }

  private async failIfStopped(info: ContainerInfo, name: string, exitCode?: number): Promise<void> {
    if (isRestartLooping(info) || info.status === 'exited' || info.status === 'dead')
      throw await this.exitedError(info, name, exitCode);
  }

  /** A restarted container runs again with exit code 0 in its state; the last `die` event has the real code. */
  private async loopExitCode(info: ContainerInfo): Promise<number> {
    if (info.status !== 'running') return info.exitCode;
    return (await this.engine.lastExitCode(info.name).catch(() => undefined)) ?? info.exitCode;
  }

  private async exitedError(info: ContainerInfo, name: string, eventExitCode?: number): Promise<TerminalServiceError> {
    const code = eventExitCode ?? (isRestartLooping(info) ? await this.loopExitCode(info) : info.exitCode);
    const tail = (await this.logTail(info.id)).trimEnd();
    const what =
      isRestartLooping(info) || info.status === 'restarting' || info.status === 'running'
        ? `container ${name} is restart-looping (restarted ${info.restartCount} times, last exit code ${code})`
        : `container ${name} exited with code ${code}`;
    return new TerminalServiceError(tail === '' ? `${what}; no log output` : `${what}; last log lines:\n${tail}`);
  }

  private async logTail(id: string): Promise<string> {
    try {
      return await this.engine.containerLogs(id, logTailLines);
    } catch {
      return ''; // the container went away between inspect and logs: the exit code still tells the story
    }
  }
}

/**
 * A container the engine restarted during the boot is failing, not starting: bootwave gates dependents on
 * dependencies, so a crash is not the "dependency not up yet" case restart policies paper over in Compose.
 */
function isRestartLooping(info: ContainerInfo): boolean {
  return info.status === 'restarting' || info.restartCount > 0;
}

function graceSeconds(svc: DockerService): number {
  return Math.ceil(svc.target.stopGraceMs / 1000);
}

function asDocker(service: ServiceSpec): DockerService {
  if (service.target.driver !== 'docker')
    throw new Error(`service ${service.name} is not a docker service (driver ${service.target.driver})`);
  return service as DockerService;
}

/** What the engine has for a service, in the terms of the convergence decision. */
function foundContainer(info: ContainerInfo | undefined, bootId: string): Found {
  if (!info) return { kind: 'absent' };
  const specHash = info.labels[DockerLabels.spec] ?? '';
  if (info.status === 'running' || info.status === 'restarting' || info.status === 'paused')
    return { kind: 'running', specHash };
  if (info.status === 'created') return { kind: 'created', specHash };
  return { kind: 'exited', specHash, exitCode: info.exitCode, inThisBoot: info.labels[DockerLabels.boot] === bootId };
}
