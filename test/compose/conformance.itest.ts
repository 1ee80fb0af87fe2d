import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectName } from '../../src/compose/compose-names';
import { importCompose } from '../../src/compose/import-compose';
import { parseDuration } from '../../src/plan/duration';
import type { DockerTarget, ResolvedPlan, ServiceSpec } from '../../src/plan/types';

/**
 * Differential tests against the reference implementation of the Compose Specification: Docker Compose v2
 * (built from source by scripts/lib/compose.sh, never skipped) reads each file of the corpus in
 * test/fixtures/compose with `config --format json`; bootwave imports the same files; both are reduced to the
 * fields bootwave maps (boot order, health, the container's configuration) and must agree.
 */

type Doc = Record<string, unknown>;
const isMap = (value: unknown): value is Doc => value !== null && typeof value === 'object' && !Array.isArray(value);
const fixtures = resolve(__dirname, '../fixtures/compose');
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

let composeBin: string;
let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'bootwave-conformance-'));
  // Provisions (builds once, then reuses from the cache) the same binary the test script provisions.
  composeBin = execFileSync('bash', ['-c', 'source scripts/lib/compose.sh && bootwave_ensure_compose_v2'], {
    cwd: resolve(__dirname, '../..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop()!;
}, 1_800_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

function reference(dir: string, files: string[], profiles: string[]): Doc {
  const args = [...files.flatMap((f) => ['-f', f]), ...profiles.flatMap((p) => ['--profile', p])];
  const text = execFileSync(composeBin, [...args, 'config', '--format', 'json'], {
    cwd: dir,
    env: { ...env, HOME: home },
    encoding: 'utf8',
  });
  return JSON.parse(text) as Doc;
}

const ms = (value: unknown): number | undefined =>
  value === undefined || value === null ? undefined : parseDuration(String(value));
const sorted = (items: string[]) => [...items].sort();

/** One service as both sides are compared. */
interface Model {
  image: unknown;
  command: unknown;
  entrypoint: unknown;
  environment: Record<string, string>;
  labels: Record<string, string>;
  ports: string[];
  mounts: string[];
  /** The build's context folder and Dockerfile, or null when the image is pulled. */
  build: unknown;
  anonymous: string[];
  networks: string[];
  /** `service:<compose name>`, `host`, ...; null when the container joins networks. */
  networkMode: string | null;
  dependsOn: string[];
  health: unknown;
  restart: string;
  stopGraceMs: number | undefined;
  /** `<network> <name>` for every name other than the service's own that it has on each network it joins. */
  aliases: string[];
  engine: Doc;
}

/** Docker Compose's normalised model, reduced. `$$` is how `config` re-escapes a literal `$`. */
function fromReference(doc: Doc): Record<string, Model> {
  const services = doc.services as Record<string, Doc>;
  const secrets = (doc.secrets ?? {}) as Record<string, Doc>;
  const configs = (doc.configs ?? {}) as Record<string, Doc>;
  const unescape = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(/\$\$/g, '$')
      : Array.isArray(value)
        ? value.map(unescape)
        : isMap(value)
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescape(v)]))
          : value;
  const out: Record<string, Model> = {};
  for (const [name, s] of Object.entries(services)) {
    const volumes = (s.volumes ?? []) as Doc[];
    const mounts = volumes
      .filter((v) => v.source !== undefined && v.type !== 'tmpfs')
      .map((v) =>
        v.type === 'bind'
          ? `${String(v.source)}:${String(v.target)}${v.read_only ? ':ro' : ''}`
          : `volume ${String(v.source)}:${String(v.target)}${v.read_only ? ':ro' : ''}`,
      );
    for (const secret of (s.secrets ?? []) as Doc[])
      mounts.push(`${String(secrets[String(secret.source)]?.file)}:${String(secret.target)}:ro`);
    for (const config of (s.configs ?? []) as Doc[])
      mounts.push(
        `${String(configs[String(config.source)]?.file)}:${String(config.target ?? `/${String(config.source)}`)}:ro`,
      );
    const hc = s.healthcheck as Doc | undefined;
    let health: unknown = 'none';
    if (hc?.disable === true || (Array.isArray(hc?.test) && hc.test[0] === 'NONE')) health = 'disabled';
    else if (hc && hc.test === undefined) health = { test: 'image', intervalMs: ms(hc.interval), retries: hc.retries };
    else if (hc)
      health = {
        test: unescape(hc.test),
        intervalMs: ms(hc.interval ?? '30s'),
        timeoutMs: ms(hc.timeout ?? '30s'),
        retries: hc.retries ?? 3,
        startPeriodMs: ms(hc.start_period ?? '0s'),
        startIntervalMs: ms(hc.start_interval ?? '5s'),
      };
    const engine: Doc = {};
    if (s.user !== undefined) engine.user = s.user;
    if (s.working_dir !== undefined) engine.workingDir = s.working_dir;
    if (s.cap_add !== undefined) engine.capAdd = s.cap_add;
    if (s.cap_drop !== undefined) engine.capDrop = s.cap_drop;
    if (s.init !== undefined) engine.init = s.init;
    if (s.read_only !== undefined) engine.readOnly = s.read_only;
    if (s.group_add !== undefined) engine.groupAdd = s.group_add;
    if (s.security_opt !== undefined) engine.securityOpt = s.security_opt;
    if (s.stop_signal !== undefined) engine.stopSignal = s.stop_signal;
    if (s.sysctls !== undefined) engine.sysctls = s.sysctls;
    if (s.shm_size !== undefined) engine.shmSizeBytes = Number(s.shm_size);
    if (s.mem_limit !== undefined) engine.memoryBytes = Number(s.mem_limit);
    if (s.extra_hosts !== undefined)
      engine.extraHosts = (s.extra_hosts as string[]).map((entry) => entry.replace('=', ':'));
    if (s.tmpfs !== undefined)
      engine.tmpfs = Object.fromEntries(
        (s.tmpfs as string[]).map((entry) => [entry.split(':')[0], entry.split(':').slice(1).join(':')]),
      );
    // A tmpfs volume: the engine's tmpfs options, the mode in octal as the engine reads it.
    for (const v of volumes.filter((volume) => volume.type === 'tmpfs')) {
      const settings = (v.tmpfs ?? {}) as Doc;
      const options = [
        ...(v.read_only ? ['ro'] : []),
        ...(settings.size === undefined ? [] : [`size=${Number(settings.size)}`]),
        ...(settings.mode === undefined ? [] : [`mode=${Number(settings.mode).toString(8)}`]),
      ];
      engine.tmpfs = { ...(engine.tmpfs as Doc | undefined), [String(v.target)]: options.join(',') };
    }
    if (s.ulimits !== undefined)
      engine.ulimits = Object.entries(s.ulimits as Doc).map(([limit, value]) => ({
        name: limit,
        soft: isMap(value) ? value.soft : value,
        hard: isMap(value) ? value.hard : value,
      }));
    const restart = String(s.restart ?? 'no');
    out[name] = {
      image: s.image,
      command: unescape(s.command ?? null),
      entrypoint: unescape(s.entrypoint ?? null),
      environment: unescape(s.environment ?? {}) as Record<string, string>,
      labels: (s.labels ?? {}) as Record<string, string>,
      // A port without a fixed host port gets a random one from the engine (or any free one of a host range);
      // bootwave does not publish it (a warning).
      // In host and none modes the engine discards published ports; bootwave drops them with a warning.
      ports: sorted(
        ((s.network_mode === 'host' || s.network_mode === 'none' ? [] : (s.ports ?? [])) as Doc[])
          .filter(
            (p) =>
              p.published !== undefined && p.published !== '' && p.published !== '0' && !/-/.test(String(p.published)),
          )
          .map((p) => `${String(p.published)}:${String(p.target)}/${String(p.protocol)}`),
      ),
      mounts: sorted(mounts),
      build: isMap(s.build) ? { context: s.build.context, dockerfile: s.build.dockerfile ?? 'Dockerfile' } : null,
      anonymous: sorted(
        volumes.filter((v) => v.source === undefined && v.type !== 'tmpfs').map((v) => String(v.target)),
      ),
      networks: sorted(Object.keys((s.networks ?? { default: null }) as Doc)),
      networkMode: (s.network_mode as string | undefined) ?? null,
      dependsOn: sorted(
        Object.entries((s.depends_on ?? {}) as Record<string, Doc>).map(
          ([dep, d]) => `${dep} ${String(d.condition)} ${d.required === false ? 'optional' : 'required'}`,
        ),
      ),
      health,
      restart,
      // Docker's default when the file gives none.
      stopGraceMs: ms(s.stop_grace_period ?? '10s'),
      aliases: aliasesOf(name, s, services),
      engine,
    };
  }
  return out;
}

/**
 * The other names a service answers to, per network: its container_name and the aliases of links to it everywhere
 * (bootwave gives a link alias on the network, a superset of Compose's link), and each network's own aliases there.
 */
function aliasesOf(name: string, service: Doc, services: Record<string, Doc>): string[] {
  const everywhere = new Set<string>();
  if (service.container_name !== undefined) everywhere.add(String(service.container_name));
  for (const other of Object.values(services))
    for (const link of (other.links ?? []) as string[]) {
      const [target, alias] = link.split(':');
      if (target === name && alias !== undefined) everywhere.add(alias);
    }
  const networks = (service.networks ?? { default: null }) as Record<string, Doc | null>;
  const out = new Set<string>();
  for (const [network, settings] of Object.entries(networks))
    for (const alias of [...everywhere, ...((settings?.aliases ?? []) as string[])])
      if (alias !== name) out.add(`${network} ${alias}`);
  return sorted([...out]);
}

const conditionNames = {
  started: 'service_started',
  healthy: 'service_healthy',
  completed: 'service_completed_successfully',
};

/** bootwave's import, reduced the same way; `names` maps Compose service names to plan names. */
function fromBootwave(
  plan: ResolvedPlan,
  composeNames: string[],
  planName: string,
  folder: string,
): Record<string, Model> {
  const byPlanName = new Map(composeNames.map((n) => [projectName(n), n]));
  const out: Record<string, Model> = {};
  for (const spec of plan.services as (ServiceSpec & { target: DockerTarget })[]) {
    const t = spec.target;
    const name = byPlanName.get(spec.name) ?? spec.name;
    const hc = t.healthcheck;
    let health: unknown = 'none';
    if (hc && hc.test[0] === 'NONE') health = 'disabled';
    else if (hc && hc.test.length === 0)
      health = { test: 'image', intervalMs: hc.timing.intervalMs, retries: hc.timing.retries };
    else if (hc)
      health = {
        test: hc.test,
        intervalMs: hc.timing.intervalMs,
        timeoutMs: hc.timing.timeoutMs,
        retries: hc.timing.retries,
        startPeriodMs: hc.timing.startPeriodMs,
        startIntervalMs: hc.timing.startIntervalMs,
      };
    const volumePrefix = `bootwave-${planName}-`;
    const engine: Doc = {};
    for (const key of [
      'user',
      'workingDir',
      'capAdd',
      'capDrop',
      'init',
      'readOnly',
      'groupAdd',
      'securityOpt',
      'stopSignal',
      'sysctls',
      'shmSizeBytes',
      'extraHosts',
      'tmpfs',
      'ulimits',
    ] as const)
      if (t[key] !== undefined) engine[key] = t[key];
    if (spec.memoryBytes !== undefined) engine.memoryBytes = spec.memoryBytes;
    out[name] = {
      image: t.image,
      command: t.command ?? null,
      entrypoint: t.entrypoint ?? null,
      environment: t.env,
      labels: t.labels,
      ports: sorted(t.ports.map((p) => `${p.hostPort}:${p.containerPort}/${p.protocol}`)),
      mounts: sorted(t.volumes.map((v) => (v.startsWith(volumePrefix) ? `volume ${v.slice(volumePrefix.length)}` : v))),
      build: t.build
        ? { context: resolve(folder, t.build.context), dockerfile: t.build.dockerfile ?? 'Dockerfile' }
        : null,
      anonymous: sorted(t.anonymousVolumes ?? []),
      networks: sorted(t.networks.length === 0 ? ['default'] : t.networks),
      networkMode: t.networkMode?.startsWith('service:')
        ? `service:${byPlanName.get(t.networkMode.slice('service:'.length)) ?? ''}`
        : (t.networkMode ?? null),
      dependsOn: sorted(
        spec.dependsOn.map(
          (d) =>
            `${byPlanName.get(d.service) ?? d.service} ${conditionNames[d.condition]} ${d.kind === 'wants' ? 'optional' : 'required'}`,
        ),
      ),
      health,
      restart:
        t.restart === 'on-failure' && t.restartMaxAttempts !== undefined
          ? `on-failure:${t.restartMaxAttempts}`
          : t.restart,
      stopGraceMs: spec.target.stopGraceMs,
      aliases: sorted([
        ...new Set(
          (t.networks.length === 0 ? ['default'] : t.networks).flatMap((network) =>
            [...(t.aliases ?? []), ...(t.networkAliases?.[network] ?? [])]
              .filter((alias) => alias !== name)
              .map((alias) => `${network} ${alias}`),
          ),
        ),
      ]),
      engine,
    };
  }
  return out;
}

/** A corpus case: its folder, its `-f` files in order, profiles, and fields where bootwave differs on purpose. */
const corpus: Array<{ dir: string; files?: string[]; profiles?: string[]; env?: Record<string, string> }> = [
  { dir: 'anchors' },
  { dir: 'interpolation' },
  { dir: 'profiles' },
  { dir: 'profiles', profiles: ['web'] },
  { dir: 'env-file' },
  { dir: 'extends' },
  { dir: 'extends-folder' },
  { dir: 'multi-file', files: ['compose.yaml', 'compose.override.yaml'] },
  { dir: 'merge-tags', files: ['compose.yaml', 'compose.override.yaml'] },
  { dir: 'include' },
  { dir: 'healthchecks' },
  { dir: 'conditions' },
  { dir: 'restart' },
  { dir: 'names' },
  { dir: 'networks' },
  { dir: 'network-mode' },
  { dir: 'volumes' },
  { dir: 'secrets' },
  { dir: 'engine-keys' },
  { dir: 'numbers' },
  { dir: 'dotenv-expansion' },
  { dir: 'ports' },
  { dir: 'aliases' },
  { dir: 'booleans' },
];

describe('Compose conformance with Docker Compose v2', () => {
  test.each(corpus.map((c) => [`${c.dir}${c.profiles ? ` --profile ${c.profiles.join(',')}` : ''}`, c] as const))(
    '%s',
    (_label, { dir, files = ['compose.yaml'], profiles = [] }) => {
      const folder = join(fixtures, dir);
      const expected = reference(folder, files, profiles);
      const result = importCompose(
        files.map((f) => join(folder, f)),
        { env: { ...env, HOME: home }, profiles },
      );
      if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
      const composeNames = Object.keys(expected.services as Doc);
      const theirs = fromReference(expected);
      const ours = fromBootwave(result.plan, composeNames, result.plan.name, folder);
      // The project name, then every service field by field (a failure names the service and the field).
      expect(result.plan.name).toBe(projectName(String(expected.name)));
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const name of Object.keys(theirs)) {
        const service = theirs[name]!;
        const ourService = ours[name]!;
        // Health of a service nobody waits on for health is not gated by bootwave (only the engine runs it).
        for (const field of Object.keys(service) as (keyof Model)[])
          expect({ service: name, field, value: ourService[field] }).toEqual({
            service: name,
            field,
            value: service[field],
          });
      }
    },
  );
});
