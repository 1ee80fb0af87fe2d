/**
 * The chain's floor on this engine: what a hand-driven boot of the same file takes when nothing but the engine
 * stands between the levels. Every container is created up front; then, level by level, it is started through the
 * engine API and its HEALTHCHECK test is run with `exec` every 100 ms until it passes, and the next level starts at
 * once. No orchestrator can be faster on this engine without a cheaper readiness signal, so bootwave's "within 1 s
 * of the chain's floor" is measured against this span (the engine's ≈ 1 s container start per level is in it, as it
 * is in every tool's).
 */
import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ChainService {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, unknown> | string[];
  healthcheck?: { test?: string[] };
}

export interface FloorTimes {
  /** Create of every container → last service ready. */
  totalMs: number;
  /** The first container running (its start returned) → last service ready, as bootwave's span is measured. */
  spanMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `${VAR:-default}` as the chain file uses it, from `env`; `$$` is a literal `$`. */
function substitute(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\$|\$\{(\w+)(?::-([^}]*))?\}/g, (whole, name?: string, fallback?: string) =>
    whole === '$$' ? '$' : env[name!] || (fallback ?? ''),
  );
}

/** The services in dependency order (the chain file's services form a single chain or a DAG without cycles). */
function inDependencyOrder(services: Record<string, ChainService>): string[] {
  const order: string[] = [];
  const visit = (name: string) => {
    if (order.includes(name)) return;
    const deps = services[name]!.depends_on;
    for (const dep of Array.isArray(deps) ? deps : Object.keys(deps ?? {})) visit(dep);
    order.push(name);
  };
  for (const name of Object.keys(services)) visit(name);
  return order;
}

/** `127.0.0.1:18531:8080` → the engine's port binding. */
function portBindings(ports: string[] = []): {
  exposed: Record<string, object>;
  bindings: Record<string, { HostIp: string; HostPort: string }[]>;
} {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of ports) {
    const [hostIp, hostPort, containerPort] = port.split(':') as [string, string, string];
    exposed[`${containerPort}/tcp`] = {};
    bindings[`${containerPort}/tcp`] = [{ HostIp: hostIp, HostPort: hostPort }];
  }
  return { exposed, bindings };
}

async function runsClean(container: Docker.Container, cmd: string[]): Promise<boolean> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: false, AttachStderr: false });
  await exec.start({ Detach: true });
  for (;;) {
    const info = await exec.inspect();
    if (!info.Running) return info.ExitCode === 0;
    await sleep(20);
  }
}

/**
 * Boots `file` by hand on the engine with `env` substituted, labelling every container `bwbench.floor=<label>`
 * (bench/docker/run.sh removes them if a run dies), and removes them afterwards.
 */
export async function engineFloorRun(file: string, env: NodeJS.ProcessEnv, label: string): Promise<FloorTimes> {
  const doc = parse(substitute(readFileSync(file, 'utf8'), env), { merge: true }) as {
    services: Record<string, ChainService>;
  };
  const docker = new Docker();
  const containers = new Map<string, Docker.Container>();
  const t0 = Date.now();
  // A network of its own, as Compose and bootwave give a project: a start on it costs more than on the default one.
  const network = await docker.createNetwork({ Name: label, Labels: { 'bwbench.floor': label } });
  try {
    const order = inDependencyOrder(doc.services);
    await Promise.all(
      order.map(async (name) => {
        const service = doc.services[name]!;
        const { exposed, bindings } = portBindings(service.ports);
        const container = await docker.createContainer({
          name: `${label}-${name}`,
          Image: service.image,
          Cmd: service.command,
          Env: Object.entries(service.environment ?? {}).map(([k, v]) => `${k}=${v}`),
          ExposedPorts: exposed,
          Labels: { 'bwbench.floor': label },
          HostConfig: { PortBindings: bindings, NetworkMode: label },
        });
        containers.set(name, container);
      }),
    );
    let firstStart: number | undefined;
    for (const name of order) {
      const test = doc.services[name]!.healthcheck?.test;
      if (!test || test[0] !== 'CMD') throw new Error(`service ${name} has no exec-form HEALTHCHECK test`);
      const container = containers.get(name)!;
      await container.start();
      // As bootwave records a service's start: once the engine says it runs.
      firstStart ??= Date.now();
      while (!(await runsClean(container, test.slice(1)))) await sleep(100);
    }
    const end = Date.now();
    return { totalMs: end - t0, spanMs: end - firstStart! };
  } finally {
    await Promise.all([...containers.values()].map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
    await network.remove().catch(() => undefined);
  }
}
