/**
 * Where the time goes on the 3-level chain of examples/compose-chain, without Temporal: drives the Docker driver
 * itself (as the start and probe activities do) level by level and prints, per level, how long each engine call
 * took — inspect, image check, network, create, start — and when the first HEALTHCHECK exec ran and the service
 * was ready. Usage (after `npm run build` and `npx tsc -p bench/docker/tsconfig.json`):
 *   node dist-bench/docker/chain-timeline.js [--interval 30s] [--runs 3] [--precreate]
 * `--precreate` first prepares every container (the driver's `prepare`), then starts each at its gate, as `up` does.
 */
import { resolve } from 'node:path';
import { loadavg } from 'node:os';

const repoRoot = resolve(__dirname, '..', '..');
// The bench compiles on its own (rootDir bench/docker): the driver comes from the built dist/ at run time.
/* eslint-disable @typescript-eslint/no-require-imports */
const { DockerDriver } = require(`${repoRoot}/dist/drivers/docker/docker-driver`) as {
  DockerDriver: new (engine: unknown) => TimelineDriver;
};
const { createDockerEngine } = require(`${repoRoot}/dist/drivers/docker/docker-engine`) as {
  createDockerEngine: () => Record<string, (...args: unknown[]) => Promise<unknown>>;
};
const { loadPlanOrCompose } = require(`${repoRoot}/dist/compose/load-any`) as {
  loadPlanOrCompose: (
    file: string,
    options: { env: NodeJS.ProcessEnv },
  ) => { ok: boolean; plan?: { services: Service[] } };
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface Service {
  name: string;
  health?: unknown;
  dependsOn: { service: string }[];
}
interface Ctx {
  plan: string;
  bootId: string;
}
interface TimelineDriver {
  prepare?(ctx: Ctx, service: Service): Promise<void>;
  start(ctx: Ctx, service: Service): Promise<unknown>;
  awaitNativeReady(
    ctx: Ctx,
    service: Service,
    watch: { signal: AbortSignal; onProgress(d: string): void },
  ): Promise<void>;
  stop(ctx: Ctx, service: Service): Promise<unknown>;
}

interface Call {
  method: string;
  name: string;
  atMs: number;
  ms: number;
}

function argValue(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** The real engine, with every call's start and duration recorded. */
function timedEngine(calls: Call[]): Record<string, unknown> {
  const engine = createDockerEngine();
  return Object.fromEntries(
    Object.entries(engine).map(([method, fn]) => [
      method,
      async (...args: unknown[]) => {
        const atMs = Date.now();
        try {
          return await fn(...args);
        } finally {
          const first = args[0];
          const name = typeof first === 'string' ? first : ((first as { name?: string } | undefined)?.name ?? '');
          calls.push({ method, name, atMs, ms: Date.now() - atMs });
        }
      },
    ]),
  );
}

async function runOnce(interval: string, precreate: boolean, n: number): Promise<void> {
  const chainFile = resolve(repoRoot, 'examples', 'compose-chain', 'docker-compose.yml');
  const base = 18931 + (n % 20) * 10;
  const env = {
    ...process.env,
    CHAIN_INTERVAL: interval,
    CHAIN_PORT_A: String(base),
    CHAIN_PORT_B: String(base + 1),
    CHAIN_PORT_C: String(base + 2),
  };
  const loaded = loadPlanOrCompose(chainFile, { env });
  if (!loaded.ok || !loaded.plan) throw new Error(`could not load ${chainFile}`);
  // The same file Compose gets: the engine HEALTHCHECK gates, not the x-bootwave probes.
  const services = loaded.plan.services.map((s) => ({ ...s, health: undefined }));
  const calls: Call[] = [];
  const driver = new DockerDriver(timedEngine(calls));
  const ctx = { plan: `bwtimeline-${process.pid}-${n}`, bootId: `timeline-${n}` };
  const t0 = Date.now();
  const rel = (ms: number) => ((ms - t0) / 1000).toFixed(3);
  try {
    if (precreate)
      await Promise.all(services.filter((s) => s.dependsOn.length > 0).map((s) => driver.prepare!(ctx, s)));
    const preparedMs = Date.now();
    let gateMs = Date.now();
    for (const service of services) {
      const before = calls.length;
      const startAt = Date.now();
      await driver.start(ctx, service);
      const startedAt = Date.now();
      await driver.awaitNativeReady(ctx, service, { signal: new AbortController().signal, onProgress: () => {} });
      const readyAt = Date.now();
      const mine = calls.slice(before);
      const steps = mine
        .filter((c) => c.method !== 'execInContainer' && c.method !== 'containerEvents' && c.atMs < startedAt)
        .map((c) => `${c.method} ${c.ms}`)
        .join(', ');
      // Runs overlap: one begun for the previous level may end after this level began.
      const execs = mine.filter((c) => c.method === 'execInContainer' && c.name.endsWith(`-${service.name}`));
      const firstExec = execs[0];
      console.log(
        `  ${service.name}: gate ${rel(gateMs)} → start() ${startedAt - startAt} ms [${steps}]; ` +
          `first exec at +${firstExec ? firstExec.atMs - startedAt : '–'} ms (${firstExec?.ms ?? '–'} ms), ` +
          `${execs.length} execs (median ${median(execs.map((c) => c.ms))} ms); ready +${readyAt - startedAt} ms`,
      );
      gateMs = readyAt;
    }
    console.log(
      `run ${n} interval=${interval}${precreate ? ` precreate (${preparedMs - t0} ms)` : ''}: all ready ${rel(gateMs)} s (load ${loadavg()[0]!.toFixed(2)})`,
    );
  } finally {
    for (const service of [...services].reverse()) await driver.stop(ctx, service);
  }
}

function median(values: number[]): number | string {
  if (values.length === 0) return '–';
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const runs = Number(argValue('--runs', '3'));
  const interval = argValue('--interval', '30s');
  const precreate = process.argv.includes('--precreate');
  for (let i = 0; i < runs; i++) await runOnce(interval, precreate, i);
}

main().catch((error: unknown) => {
  console.error(`timeline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
