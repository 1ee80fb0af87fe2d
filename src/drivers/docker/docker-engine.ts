import Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { DockerBuild } from '../../plan/types';
import { buildContextFiles } from './build-context';

/**
 * The small slice of the Docker Engine API that bootwave uses. This is the only module that imports dockerode;
 * the driver and the tests' fakes code against this interface.
 */
export interface DockerEngine {
  /** Undefined when no container has that name. */
  inspectContainer(name: string): Promise<ContainerInfo | undefined>;
  /** Creates a container and returns its id; rejects with `ContainerNameConflict` when the name is taken. */
  createContainer(spec: ContainerCreateSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Stops with a grace period in seconds, then removes (with anonymous volumes); a missing container is fine. */
  removeContainer(id: string, graceS: number): Promise<void>;
  /** The last lines of stdout and stderr, interleaved as written. */
  containerLogs(id: string, tailLines: number): Promise<string>;
  /** Names of the containers (running or not) carrying every given label. */
  listContainers(labels: Record<string, string>): Promise<string[]>;
  /** Creates a bridge network unless one with that name exists. */
  ensureNetwork(name: string, labels: Record<string, string>): Promise<void>;
  connectNetwork(network: string, containerId: string, aliases: string[]): Promise<void>;
  /** Takes the container off the network (its names stop resolving there); not being on it is fine. */
  disconnectNetwork(network: string, containerId: string): Promise<void>;
  /** Names of the networks carrying every given label. */
  listNetworks(labels: Record<string, string>): Promise<string[]>;
  /** Removes a network; a missing one or one still in use is left alone (returns false). */
  removeNetwork(name: string): Promise<boolean>;
  /** The image's ID (`sha256:…`); undefined when the engine does not have it. */
  imageId(image: string): Promise<string | undefined>;
  pullImage(image: string): Promise<void>;
  /** Builds `image` from a build context (what its `.dockerignore` leaves in) with the engine's builder. */
  buildImage(image: string, build: DockerBuild): Promise<void>;
  /**
   * Subscribes to one container's events from now on, until the signal aborts. Resolves once the engine has
   * accepted the subscription, so a state read after it cannot miss an event.
   */
  containerEvents(name: string, signal: AbortSignal): Promise<AsyncIterable<ContainerEvent>>;
  /**
   * The exit code of the container's most recent `die` event from the engine's event history: a restarted
   * container's state shows exit code 0 while it runs again, the event still has the real one.
   */
  lastExitCode(name: string): Promise<number | undefined>;
  /** Runs a command in the running container and resolves with its exit code once it ends. */
  execInContainer(name: string, argv: string[]): Promise<number | undefined>;
}

export interface ContainerInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** created, running, paused, restarting, removing, exited, dead. */
  status: string;
  exitCode: number;
  restartCount: number;
  /** starting, healthy, unhealthy; undefined without a HEALTHCHECK. */
  health?: string;
  /** The names it answers to on each network it is on. */
  aliases: Record<string, string[]>;
  /** The engine's `HostConfig.NetworkMode`: a network's name, `host`, `container:<id or name>`, ... */
  networkMode: string;
  /** When it last started (ms since the epoch); 0 when it never has. */
  startedAtMs: number;
}

export interface ContainerCreateSpec {
  name: string;
  image: string;
  cmd?: string[];
  entrypoint?: string[];
  env: string[];
  labels: Record<string, string>;
  exposedPorts: Record<string, Record<string, never>>;
  portBindings: Record<string, { HostIp: string; HostPort: string }[]>;
  binds: string[];
  memoryBytes?: number;
  restartPolicy: { Name: string; MaximumRetryCount?: number };
  healthcheck?: {
    Test: string[];
    Interval: number;
    Timeout: number;
    Retries: number;
    StartPeriod: number;
    StartInterval: number;
  };
  /**
   * The network joined at creation, with the aliases other containers reach it by; or a network mode (`host`,
   * `container:<name>`, ...) instead of a network.
   */
  network: { name: string; aliases: string[] } | { mode: string };
  /** Config fields beyond the above, in the Docker API's own shape (User, WorkingDir, Volumes, ...). */
  config?: Record<string, unknown>;
  /** HostConfig fields beyond the above, in the Docker API's own shape (Ulimits, ShmSize, SecurityOpt, ...). */
  hostConfig?: Record<string, unknown>;
}

/** `status` is the event's action: start, die, health_status: healthy, ... */
export interface ContainerEvent {
  action: string;
  exitCode?: number;
}

/** Another create (a concurrent or retried attempt) already took the container name. */
export class ContainerNameConflict extends Error {
  override name = 'ContainerNameConflict';
}

const statusCode = (error: unknown): number | undefined => (error as { statusCode?: number } | null)?.statusCode;
/** The engine's own words for a refused call, without docker-modem's "(HTTP code 400) unexpected - " around them. */
const engineMessage = (error: unknown): string =>
  ((error as { json?: { message?: string } } | null)?.json?.message ?? (error as Error).message).trim();

/** The engine named by DOCKER_HOST (docker-modem reads it), or the default socket. */
export function createDockerEngine(docker: Docker = new Docker()): DockerEngine {
  // The engine does not make "create unless it exists" atomic (two concurrent creates make two networks with one
  // name), so the services of a wave starting together share one creation per network.
  const creatingNetworks = new Map<string, Promise<void>>();
  const createNetworkOnce = async (name: string, labels: Record<string, string>): Promise<void> => {
    const existing = await docker.listNetworks({ filters: { name: [name] } });
    if (existing.some((network) => network.Name === name)) return;
    await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels, CheckDuplicate: true });
  };
  return {
    async inspectContainer(name) {
      try {
        const info = await docker.getContainer(name).inspect();
        const state = info.State as typeof info.State & { Health?: { Status: string } };
        return {
          id: info.Id,
          name: info.Name.replace(/^\//, ''),
          labels: info.Config.Labels ?? {},
          status: state.Status,
          exitCode: state.ExitCode,
          restartCount: info.RestartCount,
          networkMode: info.HostConfig.NetworkMode ?? '',
          // A container never started has the zero time, year 1: before the epoch.
          startedAtMs: Math.max(0, Date.parse(state.StartedAt) || 0),
          ...(state.Health?.Status ? { health: state.Health.Status } : {}),
          aliases: Object.fromEntries(
            Object.entries(info.NetworkSettings?.Networks ?? {}).map(([network, endpoint]) => [
              network,
              (endpoint as { Aliases?: string[] | null }).Aliases ?? [],
            ]),
          ),
        };
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },

    async createContainer(spec) {
      try {
        const container = await docker.createContainer({
          name: spec.name,
          Image: spec.image,
          ...(spec.cmd ? { Cmd: spec.cmd } : {}),
          ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
          Env: spec.env,
          Labels: spec.labels,
          ExposedPorts: spec.exposedPorts,
          ...(spec.healthcheck ? { Healthcheck: spec.healthcheck } : {}),
          ...spec.config,
          HostConfig: {
            ...spec.hostConfig,
            PortBindings: spec.portBindings,
            Binds: spec.binds,
            RestartPolicy: spec.restartPolicy,
            NetworkMode: 'mode' in spec.network ? spec.network.mode : spec.network.name,
            ...(spec.memoryBytes !== undefined ? { Memory: spec.memoryBytes } : {}),
          },
          ...('mode' in spec.network
            ? {}
            : { NetworkingConfig: { EndpointsConfig: { [spec.network.name]: { Aliases: spec.network.aliases } } } }),
        });
        return container.id;
      } catch (error) {
        if (statusCode(error) === 409)
          throw new ContainerNameConflict(`container name ${spec.name} is already in use`, { cause: error });
        throw error;
      }
    },

    async startContainer(id) {
      try {
        await docker.getContainer(id).start();
      } catch (error) {
        if (statusCode(error) !== 304) throw error; // 304: already running
      }
    },

    async removeContainer(id, graceS) {
      const container = docker.getContainer(id);
      try {
        await container.stop({ t: graceS });
      } catch (error) {
        if (statusCode(error) === 404) return;
        if (statusCode(error) !== 304) throw error; // 304: already stopped
      }
      try {
        await container.remove({ force: true, v: true });
      } catch (error) {
        // 404: gone; 409: removal already in progress (a concurrent stop).
        if (statusCode(error) !== 404 && statusCode(error) !== 409) throw error;
      }
    },

    async containerLogs(id, tailLines) {
      const raw = (await docker
        .getContainer(id)
        .logs({ stdout: true, stderr: true, tail: tailLines, follow: false })) as unknown as Buffer;
      return demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
    },

    async listContainers(labels) {
      const list = await docker.listContainers({ all: true, filters: { label: labelFilters(labels) } });
      return list.map((item) => (item.Names[0] ?? item.Id).replace(/^\//, ''));
    },

    async ensureNetwork(name, labels) {
      let pending = creatingNetworks.get(name);
      if (!pending) {
        pending = createNetworkOnce(name, labels).finally(() => creatingNetworks.delete(name));
        creatingNetworks.set(name, pending);
      }
      try {
        await pending;
      } catch (error) {
        if (statusCode(error) !== 409) throw error; // another process created it
      }
    },

    async connectNetwork(network, containerId, aliases) {
      try {
        await docker.getNetwork(network).connect({ Container: containerId, EndpointConfig: { Aliases: aliases } });
      } catch (error) {
        if (!/already exists/.test(String((error as Error).message))) throw error;
      }
    },

    async disconnectNetwork(network, containerId) {
      try {
        await docker.getNetwork(network).disconnect({ Container: containerId });
      } catch (error) {
        // 404: no such network or container; 403/500 "is not connected": nothing to do.
        if (statusCode(error) !== 404 && !/not connected/.test(String((error as Error).message))) throw error;
      }
    },

    async listNetworks(labels) {
      const list = await docker.listNetworks({ filters: { label: labelFilters(labels) } });
      return [...new Set(list.map((network) => network.Name))];
    },

    async removeNetwork(name) {
      try {
        // By id: a name shared by two networks (made by an older engine race) is ambiguous to remove by name.
        const matches = (await docker.listNetworks({ filters: { name: [name] } })).filter(
          (network) => network.Name === name,
        );
        for (const network of matches) await docker.getNetwork(network.Id).remove();
        return matches.length > 0;
      } catch (error) {
        const code = statusCode(error);
        if (code === 404 || code === 403 || code === 409) return false; // gone, or still has endpoints
        throw error;
      }
    },

    async imageId(image) {
      try {
        return (await docker.getImage(image).inspect()).Id;
      } catch (error) {
        if (statusCode(error) === 404) return undefined;
        throw error;
      }
    },

    async pullImage(image) {
      await followToEnd(docker, (await docker.pull(image)) as Readable);
    },

    async buildImage(image, build) {
      const dockerfile = build.dockerfile ?? 'Dockerfile';
      const context = { context: build.context, src: buildContextFiles(build.context, dockerfile) };
      const options = {
        t: image,
        dockerfile,
        ...(build.args ? { buildargs: build.args } : {}),
        ...(build.target ? { target: build.target } : {}),
      };
      // BuildKit, as Compose v2 builds (cache mounts, heredocs, COPY --link); the classic builder when the engine
      // cannot open a BuildKit session. A Dockerfile's own failure comes in the progress stream either way.
      let stream: NodeJS.ReadableStream;
      try {
        stream = await docker.buildImage(context, { ...options, version: '2' });
      } catch {
        try {
          // The classic builder leaves a failed step's container behind unless told otherwise (BuildKit never does).
          stream = await docker.buildImage(context, { ...options, forcerm: true });
        } catch (error) {
          throw new Error(engineMessage(error));
        }
      }
      await followToEnd(docker, stream as Readable);
    },

    async containerEvents(name, signal) {
      const stream = (await docker.getEvents({
        filters: { type: ['container'], container: [name] },
      })) as unknown as Readable;
      // Registered here, not in the generator: a caller may abort without ever iterating, and the stream must close.
      const abort = () => stream.destroy();
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
      stream.once('close', () => signal.removeEventListener('abort', abort));
      return readEvents(stream, signal);
    },

    async lastExitCode(name) {
      const untilS = Math.ceil(Date.now() / 1000) + 1;
      const stream = (await docker.getEvents({
        since: 0,
        until: untilS,
        filters: { type: ['container'], container: [name], event: ['die'] },
      })) as unknown as Readable;
      let last: number | undefined;
      for await (const event of readEvents(stream, new AbortController().signal))
        if (event.exitCode !== undefined) last = event.exitCode;
      return last;
    },

    async execInContainer(name, argv) {
      const exec = await docker.getContainer(name).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      // The attached stream ends when the command does; its output is not needed, only drained.
      await new Promise<void>((resolve) => {
        stream
          .once('end', resolve)
          .once('close', resolve)
          .once('error', () => resolve());
        stream.resume();
      });
      return ((await exec.inspect()) as { ExitCode: number | null }).ExitCode ?? undefined;
    },
  };
}

function labelFilters(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`);
}

/** Non-TTY logs come as frames: 1 byte stream, 3 zero bytes, 4 bytes big-endian length, payload. */
function demuxLogs(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const kind = raw[offset];
    const size = raw.readUInt32BE(offset + 4);
    if (kind === undefined || kind > 2 || raw[offset + 1] !== 0) return raw.toString('utf8'); // not multiplexed (TTY)
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

async function* readEvents(stream: Readable, signal: AbortSignal): AsyncGenerator<ContainerEvent> {
  let buffered = '';
  try {
    for await (const chunk of stream) {
      buffered += String(chunk);
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === '') continue;
        const event = JSON.parse(line) as {
          Action?: string;
          status?: string;
          Actor?: { Attributes?: Record<string, string> };
        };
        const exitCode = event.Actor?.Attributes?.exitCode;
        yield {
          action: event.Action ?? event.status ?? '',
          ...(exitCode !== undefined ? { exitCode: Number(exitCode) } : {}),
        };
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    stream.destroy();
  }
}

/** Waits for a pull's or a build's progress stream to end; rejects with the engine's error when it reports one. */
function followToEnd(docker: Docker, stream: Readable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
      const failed = error?.message ?? output.find((item) => item.error)?.error;
      if (failed) reject(new Error(failed.trim()));
      else resolve();
    });
  });
}
