import { z } from 'zod';
import { checkDependencies, type ServiceEntry } from './check-dependencies';
import { didYouMean } from './closest-name';
import { defaultExpectedStartMs, defaultStartTimeoutMs, profilesEnvVar } from './defaults';
import { deriveWaves } from './derive-waves';
import { findCycles } from './find-cycles';
import { formatPath, type LoadResult, type PlanIssue } from './plan-issue';
import { nameSchema, planSchema, serviceSchema, type PlanFile } from './plan-schema';
import { ms, parsePortMapping, resolveHealth, resolveTarget } from './resolve-service-parts';
import { formatSize, parseSize } from './size';
import { substituteEnv } from './substitute-env';
import { topologicalOrder } from './topological-order';
import type { Dependency, ResolvedPlan, ServiceSpec, WaveSpec } from './types';
import { schemaProblems } from './zod-issues';

export interface LoadOptions {
  /** The plan's path, for messages and `ResolvedPlan.source`. */
  file: string;
  /** Values for `${VAR}` substitution; the environment wins over the plan file. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Selected profiles; when absent, `BOOTWAVE_PROFILES` from `env` (comma-separated), else none. */
  profiles?: readonly string[];
  /** Makes a relative path (process cwd, manifests) absolute; the file loader resolves against the plan's folder. */
  resolvePath?: (path: string) => string;
  /** Whether a resolved manifest path exists; unchecked when absent (no IO in this module). */
  pathExists?: (path: string) => boolean;
}

const topLevelSchema = planSchema.extend({ services: z.record(z.string(), z.unknown()) });

/**
 * Validates a parsed plan document (from a plan file or another importer, e.g. Docker Compose) and resolves it.
 * Every problem is reported at once; nothing throws for bad input.
 */
export function loadPlanDocument(doc: unknown, options: LoadOptions): LoadResult<ResolvedPlan> {
  try {
    return load(doc, options);
  } catch (error) {
    // A bug, not a user mistake; still reported as an issue so callers never see an exception.
    return {
      ok: false,
      errors: [
        {
          file: options.file,
          path: '',
          message: `Failed to load plan: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
}

function load(doc: unknown, options: LoadOptions): LoadResult<ResolvedPlan> {
  const { file } = options;
  const errors: PlanIssue[] = [];
  const report = (path: string, message: string) => void errors.push({ file, path, message });
  const env = options.env ?? {};
  const resolvePath = options.resolvePath ?? ((p: string) => joinPath(file, p));

  const substituted = substituteEnv(doc, env);
  for (const issue of substituted.issues) report(issue.path, issue.message);
  const raw = substituted.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    report('', 'a plan must be a mapping with at least "name" and "services"');
    return { ok: false, errors };
  }

  const top = topLevelSchema.safeParse(raw, { reportInput: true });
  if (!top.success)
    for (const problem of schemaProblems(topLevelSchema, top.error.issues))
      report(formatPath(problem.path), problem.message);
  const rawServices = (raw as { services?: unknown }).services;
  const serviceDocs =
    rawServices !== null && typeof rawServices === 'object' && !Array.isArray(rawServices)
      ? Object.entries(rawServices)
      : [];
  if (rawServices !== undefined && serviceDocs.length === 0 && (top.success || typeof rawServices === 'object'))
    report('services', 'the plan has no services');

  const selected = new Set(
    options.profiles ??
      (env[profilesEnvVar] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
  );
  const entries = new Map<string, ServiceEntry>();
  for (const [name, serviceDoc] of serviceDocs) {
    if (!nameSchema.safeParse(name).success)
      report(
        `services.${name}`,
        `invalid service name "${name}": must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`,
      );
    const parsed = serviceSchema.safeParse(serviceDoc, { reportInput: true });
    if (!parsed.success) {
      for (const problem of schemaProblems(serviceSchema, parsed.error.issues, ['services', name]))
        report(formatPath(problem.path), problem.message);
      entries.set(name, { name, active: true });
      continue;
    }
    const spec = parsed.data;
    const targets = (['process', 'docker', 'kubernetes'] as const).filter((t) => spec[t] !== undefined);
    if (targets.length === 0) report(`services.${name}`, 'needs a target: one of process, docker or kubernetes');
    if (targets.length > 1) report(`services.${name}`, `has ${targets.join(' and ')}: choose exactly one target`);
    if (spec.kubernetes && (spec.kubernetes.manifests ?? []).length + (spec.kubernetes.inline ?? []).length === 0) {
      report(`services.${name}.kubernetes`, 'needs manifests or inline documents');
    }
    (spec.kubernetes?.manifests ?? []).forEach((manifest, index) => {
      const resolved = resolvePath(manifest);
      if (options.pathExists && !options.pathExists(resolved))
        report(`services.${name}.kubernetes.manifests[${index}]`, `manifest not found: ${resolved}`);
    });
    const active = !spec.profiles || spec.profiles.length === 0 || spec.profiles.some((p) => selected.has(p));
    entries.set(name, { name, spec, active });
  }
  // Without a valid top level, references are still checked so one run shows every problem.
  const plan = top.success ? (top.data as PlanFile & { services: Record<string, unknown> }) : undefined;
  const declaredWaves = plan?.waves ?? [];
  const waveIndex = new Map<string, number>();
  declaredWaves.forEach((wave, index) => {
    const first = waveIndex.get(wave.name);
    if (first !== undefined)
      report(`waves[${index}].name`, `duplicate wave name "${wave.name}" (also waves[${first}])`);
    else waveIndex.set(wave.name, index);
  });

  const graph = new Map<string, string[]>();
  const dependencies = new Map<string, Dependency[]>();
  const explicitWave = new Map<string, number>();
  for (const entry of entries.values()) {
    if (!entry.active) continue;
    const deps = checkDependencies(entry, entries, report);
    dependencies.set(entry.name, deps);
    graph.set(
      entry.name,
      deps.map((d) => d.service),
    );
    const wave = entry.spec?.wave;
    if (!plan) continue;
    if (typeof wave === 'string') {
      const index = waveIndex.get(wave);
      if (index === undefined)
        report(`services.${entry.name}.wave`, `unknown wave "${wave}"${didYouMean(wave, waveIndex.keys())}`);
      else explicitWave.set(entry.name, index);
    } else if (typeof wave === 'number') {
      if (declaredWaves.length > 0 && wave >= declaredWaves.length)
        report(
          `services.${entry.name}.wave`,
          `unknown wave ${wave}: the plan declares waves 0-${declaredWaves.length - 1}`,
        );
      else explicitWave.set(entry.name, wave);
    }
  }
  if (serviceDocs.length > 0 && graph.size === 0) {
    report(
      'services',
      `no services selected: every service is in a profile; select one with --profile (${[...new Set([...entries.values()].flatMap((e) => e.spec?.profiles ?? []))].join(', ')})`,
    );
  }

  checkHostPorts(entries, report);

  const cycles = findCycles(graph);
  for (const cycle of cycles) report(`services.${cycle[0]}.dependsOn`, `dependency cycle: ${cycle.join(' → ')}`);
  if (!plan || cycles.length > 0 || errors.length > 0) return { ok: false, errors };

  const order = topologicalOrder(graph);
  const { waveNames, waveOf } = deriveWaves(
    graph,
    order,
    explicitWave,
    declaredWaves.map((w) => w.name),
  );
  for (const name of order) {
    dependencies.get(name)!.forEach((dependency, index) => {
      const own = waveOf.get(name)!;
      const theirs = waveOf.get(dependency.service)!;
      if (theirs > own) {
        const rawIndex = (entries.get(name)!.spec!.dependsOn ?? []).findIndex(
          (d) => (typeof d === 'string' ? d : d.service) === dependency.service,
        );
        report(
          `services.${name}.dependsOn[${rawIndex < 0 ? index : rawIndex}]`,
          `depends on "${dependency.service}" in wave "${waveNames[theirs]}", which boots after this service's wave "${waveNames[own]}"`,
        );
      }
    });
  }

  const waves: WaveSpec[] = waveNames.map((waveName, index) => {
    const declared = declaredWaves[index];
    const services = order.filter((name) => waveOf.get(name) === index);
    const budget = declared?.memoryBudget === undefined ? undefined : parseSize(declared.memoryBudget);
    if (budget !== undefined) {
      const memory = services.map((s) => [s, memoryOf(entries.get(s)!)] as const).filter(([, bytes]) => bytes > 0);
      const total = memory.reduce((sum, [, bytes]) => sum + bytes, 0);
      if (total > budget) {
        const parts = memory.map(([s, bytes]) => `${s} ${formatSize(bytes)}`).join(', ');
        report(
          `waves[${index}].memoryBudget`,
          `wave "${waveName}" needs ${formatSize(total)} (${parts}), over its memory budget of ${formatSize(budget)}`,
        );
      }
    }
    return {
      name: waveName,
      index,
      ...(budget === undefined ? {} : { memoryBudgetBytes: budget }),
      ...(declared?.deadline === undefined ? {} : { deadlineMs: ms(declared.deadline) }),
      services,
    };
  });
  if (errors.length > 0) return { ok: false, errors };

  const services: ServiceSpec[] = order.map((name) => {
    const spec = entries.get(name)!.spec!;
    const memoryBytes = memoryOf(entries.get(name)!);
    return {
      name,
      wave: waveNames[waveOf.get(name)!]!,
      target: resolveTarget(spec, plan, resolvePath),
      dependsOn: dependencies.get(name)!,
      critical: spec.critical ?? true,
      oneShot: spec.oneShot ?? false,
      ...(spec.health ? { health: resolveHealth(spec.health, plan, resolvePath) } : {}),
      startTimeoutMs: ms(spec.startTimeout ?? plan.defaults?.startTimeout ?? defaultStartTimeoutMs),
      expectedStartMs: ms(spec.expectedStart ?? plan.defaults?.expectedStart ?? defaultExpectedStartMs),
      ...(memoryBytes > 0 ? { memoryBytes } : {}),
      profiles: spec.profiles ?? [],
    };
  });
  return { ok: true, plan: { name: plan.name, source: file, waves, services } };
}

/** Two selected containers cannot publish the same host port: the second would fail to start mid-boot. */
function checkHostPorts(
  entries: ReadonlyMap<string, ServiceEntry>,
  report: (path: string, message: string) => void,
): void {
  const owners = new Map<string, string>();
  for (const entry of entries.values()) {
    if (!entry.active) continue;
    (entry.spec?.docker?.ports ?? []).forEach((text, index) => {
      const port = parsePortMapping(text);
      const key = `${port.hostIp}:${port.hostPort}/${port.protocol}`;
      const owner = owners.get(key);
      if (owner === undefined) owners.set(key, entry.name);
      else
        report(
          `services.${entry.name}.docker.ports[${index}]`,
          `host port ${port.hostIp}:${port.hostPort}/${port.protocol} is already published by "${owner}"`,
        );
    });
  }
}

const memoryOf = (entry: ServiceEntry): number => {
  const memory = entry.spec?.resources?.memory;
  return memory === undefined ? 0 : (parseSize(memory) ?? 0);
};

/** Joins a relative path to the plan file's folder without Node's `path` (this module stays pure). */
function joinPath(file: string, path: string): string {
  if (path.startsWith('/')) return path;
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
  return `${folder}/${path.replace(/^\.\//, '')}`;
}
