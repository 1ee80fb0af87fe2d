import { z } from 'zod';
import { buildWaves } from './build-waves';
import { checkDependencies } from './check-dependencies';
import { checkAliases } from './check-aliases';
import { checkHostPorts } from './check-host-ports';
import { checkLocalPaths, type LocalPathCheck } from './check-local-paths';
import { checkNetworkModes } from './check-network-modes';
import { checkServiceEntry, type BuildSourceCheck } from './check-service-entry';
import { budgetedDidYouMean } from './closest-name';
import { defaultExpectedStartMs, defaultStartTimeoutMs, profilesEnvVar } from './defaults';
import { deriveWaves } from './derive-waves';
import { findCycles } from './find-cycles';
import { escapeControls, formatPath, type LoadResult, type PlanIssue } from './plan-issue';
import { namePattern } from './name-pattern';
import { planSchema, type PlanFile } from './plan-schema';
import { ms, resolveHealth, resolveTarget } from './resolve-service-parts';
import { hasSupervisionFields, resolveSupervision } from './resolve-supervision';
import { resolveUpdateWindows } from './update-window-schema';
import { resolveUpdatePolicy } from './update-schema';
import { memoryOf, type ServiceEntry } from './service-entry';
import { substituteEnv } from './substitute-env';
import { checkPlacement } from '../placement/check-placement';
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
  /**
   * The profiles were named by the user (`--profile`): one that no service has is an error, since a typo would boot
   * without the services it meant. Profiles from the environment may be meant for other plans: not checked.
   */
  profilesNamed?: boolean;
  /** Makes a relative path (process cwd, manifests) absolute; the file loader resolves against the plan's folder. */
  resolvePath?: (path: string) => string;
  /** Problems of a resolved manifest file or folder; unchecked when absent (no IO in this module). */
  manifestProblems?: (path: string) => string[];
  /** What would fail a service's build before it starts; unchecked when absent (no IO in this module). */
  buildProblem?: BuildSourceCheck;
  /** Working directories and executable paths of this machine's processes; unchecked when absent (no IO here). */
  localPaths?: LocalPathCheck;
  /**
   * Counts the loader's steps (document nodes, services, dependencies, waves laid out): the fuzz tests bound it
   * by the input's size, so that no input can make validation hang, without timing anything.
   */
  meter?: { steps: number };
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
  // Keys and values of the plan reach messages: their control characters are escaped, never printed raw.
  const add = (path: string, message: string) =>
    void errors.push({ file, path: escapeControls(path), message: escapeControls(message) });
  /** Values a missing variable emptied: what the checks say of the empty value would only repeat it. */
  const emptied = new Set<string>();
  const report = (path: string, message: string) => void (emptied.has(path) || add(path, message));
  const env = options.env ?? {};
  const resolvePath = options.resolvePath ?? ((p: string) => joinPath(file, p));

  const meter = options.meter ?? { steps: 0 };
  const substituted = substituteEnv(doc, env, () => void meter.steps++);
  for (const issue of substituted.issues) {
    add(issue.path, issue.message);
    emptied.add(issue.path);
  }
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
  const servicesIsMapping = rawServices !== null && typeof rawServices === 'object' && !Array.isArray(rawServices);
  if (servicesIsMapping && serviceDocs.length === 0) report('services', 'the plan has no services');

  const selected = new Set(
    options.profiles ??
      (env[profilesEnvVar] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
  );
  const entries = new Map<string, ServiceEntry>();
  const context = {
    selectedProfiles: selected,
    resolvePath,
    ...(options.manifestProblems ? { manifestProblems: options.manifestProblems } : {}),
    ...(options.buildProblem ? { buildProblem: options.buildProblem } : {}),
  };
  for (const [name, serviceDoc] of serviceDocs) entries.set(name, checkServiceEntry(name, serviceDoc, context, report));
  meter.steps += serviceDocs.length;
  // Without a valid top level, references are still checked so one run shows every problem.
  const plan = top.success ? (top.data as PlanFile & { services: Record<string, unknown> }) : undefined;
  const declaredWaves = plan?.waves ?? [];
  // The waves' names are read entry by entry, so that an entry failing the schema (a bad name, a bad deadline)
  // hides neither the duplicates among the others nor the services' wave references.
  const waveEntryNames = declaredWaveNames((raw as { waves?: unknown }).waves);
  meter.steps += waveEntryNames?.length ?? 0;
  const waveIndex = new Map<string, number>();
  waveEntryNames?.forEach((name, index) => {
    if (name === undefined) return;
    const first = waveIndex.get(name);
    if (first !== undefined) report(`waves[${index}].name`, `duplicate wave name "${name}" (also waves[${first}])`);
    else waveIndex.set(name, index);
  });
  // A wave name is judged only when every entry names its wave: a nameless entry may be the one it meant.
  const namesKnown = waveEntryNames !== undefined && waveEntryNames.every((name) => name !== undefined);
  const knownWaveNames = [...waveIndex.keys()];
  const invalidWaveNames = knownWaveNames.filter((name) => !namePattern.test(name));

  // Suggestions are offered from lists made once (the budget counts each list's size once).
  const suggest = budgetedDidYouMean();
  const serviceNames = [...entries.keys()];
  const suggestService = (name: string) => suggest(name, serviceNames);
  const graph = new Map<string, string[]>();
  const dependencies = new Map<string, Dependency[]>();
  const explicitWave = new Map<string, number>();
  for (const entry of entries.values()) {
    if (!entry.active) continue;
    const deps = checkDependencies(entry, entries, report, suggestService);
    meter.steps += 1 + deps.length;
    dependencies.set(entry.name, deps);
    graph.set(
      entry.name,
      deps.map((d) => d.service),
    );
    const wave = entry.spec?.wave;
    if (waveEntryNames === undefined) continue;
    if (typeof wave === 'string') {
      if (!namesKnown) continue;
      const index = waveIndex.get(wave);
      if (index !== undefined) explicitWave.set(entry.name, index);
      // A wave whose own name fails (reported there) may be the one meant: "apps" for "Apps" is no second problem.
      else if (invalidWaveNames.length === 0 || suggest(wave, invalidWaveNames) === '')
        report(`services.${entry.name}.wave`, `unknown wave "${wave}"${suggest(wave, knownWaveNames)}`);
    } else if (typeof wave === 'number') {
      if (waveEntryNames.length > 0 && wave >= waveEntryNames.length)
        report(
          `services.${entry.name}.wave`,
          `unknown wave ${wave}: the plan declares waves 0-${waveEntryNames.length - 1}`,
        );
      else explicitWave.set(entry.name, wave);
    }
  }
  const planProfiles = [...new Set([...entries.values()].flatMap((e) => e.spec?.profiles ?? []))];
  if (serviceDocs.length > 0 && graph.size === 0) {
    report(
      'services',
      `no services selected: every service is in a profile; select one with --profile (${planProfiles.join(', ')})`,
    );
  }
  if (options.profilesNamed)
    for (const profile of selected)
      if (!planProfiles.includes(profile))
        report(
          'profiles',
          `--profile ${JSON.stringify(profile)}: no service has this profile${planProfiles.length === 0 ? ' (the plan has none)' : ` (the plan's profiles: ${planProfiles.join(', ')})${suggest(profile, planProfiles)}`}`,
        );

  checkHostPorts(entries, report);
  checkAliases(entries, report);
  checkNetworkModes(entries, dependencies, report, suggestService);

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
  // Both lay-outs are linear in services and waves (a wave index is at most maxWaveIndex).
  meter.steps += 2 * (order.length + waveNames.length);
  const layout = { order, waveNames, waveOf, declaredWaves, entries, dependencies };
  const waves: WaveSpec[] = buildWaves(layout, report);
  if (errors.length > 0) return { ok: false, errors };

  const services: ServiceSpec[] = order.map((name) => {
    const spec = entries.get(name)!.spec!;
    const host = spec.host ?? waves[waveOf.get(name)!]!.host;
    const memoryBytes = memoryOf(entries.get(name)!);
    const startTimeoutMs = ms(spec.startTimeout ?? plan.defaults?.startTimeout ?? defaultStartTimeoutMs);
    return {
      name,
      wave: waveNames[waveOf.get(name)!]!,
      target: resolveTarget(spec, plan, resolvePath),
      dependsOn: dependencies.get(name)!,
      critical: spec.critical ?? true,
      oneShot: spec.oneShot ?? false,
      ...(spec.health ? { health: resolveHealth(spec.health, plan, resolvePath, startTimeoutMs) } : {}),
      startTimeoutMs,
      expectedStartMs: ms(spec.expectedStart ?? plan.defaults?.expectedStart ?? defaultExpectedStartMs),
      ...(memoryBytes > 0 ? { memoryBytes } : {}),
      profiles: spec.profiles ?? [],
      ...(hasSupervisionFields(spec, plan) ? { supervision: resolveSupervision(spec, plan) } : {}),
      ...(host === undefined ? {} : { host }),
    };
  });
  const placement = checkPlacement(services.map((s) => ({ name: s.name, driver: s.target.driver, host: s.host })));
  for (const problem of placement) report(`services.${problem.service}.host`, problem.message);
  const { localPaths } = options;
  if (localPaths)
    for (const service of services)
      checkLocalPaths(service, entries.get(service.name)!.spec!, resolvePath, localPaths, report);
  if (errors.length > 0) return { ok: false, errors };
  const maintenance = resolveUpdateWindows(plan.update);
  const update = plan.update
    ? { ...resolveUpdatePolicy(plan.update), ...(maintenance ? { maintenance } : {}) }
    : undefined;
  return { ok: true, plan: { name: plan.name, source: file, waves, services, ...(update ? { update } : {}) } };
}

/**
 * The name of each `waves` entry (undefined where an entry has no name, or a name that is not a string); no waves is
 * an empty list, and `waves` that is not a list is undefined: its schema error is reported, its references are not.
 */
function declaredWaveNames(waves: unknown): (string | undefined)[] | undefined {
  if (waves === undefined) return [];
  if (!Array.isArray(waves)) return undefined;
  return waves.map((wave: unknown) => {
    const name = wave !== null && typeof wave === 'object' ? (wave as { name?: unknown }).name : undefined;
    return typeof name === 'string' ? name : undefined;
  });
}

/** Joins a relative path to the plan file's folder without Node's `path` (this module stays pure). */
function joinPath(file: string, path: string): string {
  if (path.startsWith('/')) return path;
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
  return `${folder}/${path.replace(/^\.\//, '')}`;
}
