import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { BootOptions } from '../plan/boot-input';
import { buildSourceProblem, readTextFile } from '../plan/load-plan';
import { loadPlanDocument } from '../plan/load-plan-document';
import type { PlanIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';
import { plainSecretWarnings } from '../secrets/plain-secret-warnings';
import { composeToPlan } from './compose-to-plan';
import { loadComposeFiles } from './load-compose-files';
import { composePathOf, type ComposeOrigins } from './compose-path';
import { splitList } from './compose-file-env';
import { dotenvIssues, parseDotenv, parseRawEnv } from './parse-dotenv';

export { composeFilesFromEnv } from './compose-file-env';

export interface ImportComposeOptions {
  /** Defaults to `process.env`; wins over the `.env` file next to the Compose file, as in Compose. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Selected profiles; when absent, `COMPOSE_PROFILES` then `BOOTWAVE_PROFILES` (comma-separated). */
  profiles?: readonly string[];
}

export type ImportComposeResult =
  | { ok: true; doc: unknown; plan: ResolvedPlan; bootOptions: Partial<BootOptions>; warnings: PlanIssue[] }
  | { ok: false; errors: PlanIssue[]; warnings: PlanIssue[] };

/**
 * Reads a Docker Compose file (or several, merged as `docker compose -f a.yml -f b.yml` merges them) and maps it
 * onto a bootwave plan, validated by the same loader as plan files. The project folder is the first file's: `.env`
 * is read there and relative paths resolve against it, as in Compose. What bootwave cannot honour is reported by
 * key and path: errors refuse the file, warnings are returned with the plan (see `compose-keys.ts`). Never throws
 * for bad input.
 */
export function importCompose(
  files: string | readonly string[],
  options: ImportComposeOptions = {},
): ImportComposeResult {
  const list = typeof files === 'string' ? [files] : [...files];
  const file = list[0] ?? 'compose.yaml';
  const label = list.join(', ');
  const folder = dirname(resolve(file));
  const loaded = loadComposeFiles(list, options.env ?? process.env);
  const { env, errors, warnings } = loaded;
  if (errors.length > 0) return { ok: false, errors, warnings };
  const envFiles = envFileReader(env);
  const profiles = options.profiles ?? splitList(env.COMPOSE_PROFILES ?? env.BOOTWAVE_PROFILES);

  const mapping = composeToPlan(loaded.doc, {
    file: label,
    profiles: new Set(profiles),
    defaultName: basename(folder),
    ...(env.COMPOSE_PROJECT_NAME ? { projectName: env.COMPOSE_PROJECT_NAME } : {}),
    resolvePath: (path) => resolve(folder, path.replace(/^~(?=\/|$)/, env.HOME ?? '~')),
    env,
    readEnvFile: (path, { raw }) => envFiles.read(resolve(folder, path), raw),
  });
  errors.push(...mapping.errors, ...envFiles.errors);
  warnings.push(...mapping.warnings, ...envFiles.warnings);
  if (Object.keys(mapping.doc.services).length === 0 && errors.length > 0) return { ok: false, errors, warnings };

  // Interpolation is done: escape "$" so the plan loader's own ${VAR} pass leaves the values as they are.
  const checked = loadPlanDocument(escapeDollars(mapping.doc), {
    file: label,
    env: {},
    profiles,
    profilesNamed: options.profiles !== undefined,
    resolvePath: (path) => resolve(folder, path),
    buildProblem: buildSourceProblem,
  });
  // Every problem at once: the plan loader's checks (ranges, references, cycles) run even when the mapping found
  // some, reported at the Compose keys; a problem under a key the mapping already refused is not repeated.
  if (!checked.ok) errors.push(...planErrorsAtComposePaths(checked.errors, mapping.errors, mapping.origins));
  if (checked.ok && errors.length === 0)
    warnings.push(...plainSecretWarnings(checked.plan, label, (path) => composePathOf(path, mapping.origins)));
  // With several -f files, an include or an extends, each problem names the file (and the service) that wrote its
  // key, when one did.
  for (const issue of [...errors, ...warnings]) {
    const origin = issue.file === label && issue.path !== '' ? loaded.originOf(issue.path) : undefined;
    if (origin) Object.assign(issue, origin);
  }
  // Two services that inherit one key from the same base have one problem there, not two.
  if (errors.length > 0 || !checked.ok) return { ok: false, errors: distinct(errors), warnings: distinct(warnings) };
  return {
    ok: true,
    doc: mapping.doc,
    plan: { ...checked.plan, source: resolve(file) },
    bootOptions: mapping.bootOptions,
    warnings: distinct(warnings),
  };
}

function distinct(issues: PlanIssue[]): PlanIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify([issue.file, issue.path, issue.message]);
    return !seen.has(key) && seen.add(key);
  });
}

function planErrorsAtComposePaths(
  planErrors: readonly PlanIssue[],
  mappingErrors: readonly PlanIssue[],
  origins: ComposeOrigins,
): PlanIssue[] {
  const refused = mappingErrors.map((issue) => issue.path);
  const overlaps = (a: string, b: string) => a === b || isUnder(a, b) || isUnder(b, a);
  return planErrors
    .map((issue) => ({ ...issue, path: composePathOf(issue.path, origins) }))
    .filter((issue) => !refused.some((path) => overlaps(path, issue.path)));
}

function isUnder(path: string, parent: string): boolean {
  return path.startsWith(parent) && '.['.includes(path[parent.length] ?? '');
}

/**
 * Reads `env_file`s as Compose does: values interpolated with the project's variables first (the environment over
 * `.env`, also for an included project's services), then the file's own earlier lines. `read` gives undefined when
 * the file does not exist or cannot be read as text (reported by the caller); each file is read once, and its
 * problems (syntax, required variables, unset ones) are collected in `errors` and `warnings` at the file.
 *
 * Compose also looks up the service's `environment` and its earlier `env_file`s (after the project's variables);
 * `readEnvFile` is given only the path, so such references resolve as unset here.
 */
function envFileReader(env: Readonly<Record<string, string | undefined>>) {
  const errors: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  const cache = new Map<string, Record<string, string> | undefined>();
  const lookup = (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);
  const read = (path: string, raw: boolean): Record<string, string> | undefined => {
    const key = `${raw ? 'raw' : 'env'}:${path}`;
    if (cache.has(key)) return cache.get(key);
    let values: Record<string, string> | undefined;
    const text = existsSync(path) ? readTextFile(path, 'env file') : undefined;
    if (text?.ok) {
      const parsed = raw ? parseRawEnv(text.text, lookup) : parseDotenv(text.text, { lookup });
      errors.push(...dotenvIssues(path, parsed.errors));
      warnings.push(...dotenvIssues(path, parsed.warnings));
      values = parsed.values;
    }
    cache.set(key, values);
    return values;
  };
  return { read, errors, warnings };
}

function escapeDollars(node: unknown): unknown {
  if (typeof node === 'string') return node.replace(/\$/g, '$$$$');
  if (Array.isArray(node)) return node.map(escapeDollars);
  if (node !== null && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, escapeDollars(v)]));
  return node;
}
