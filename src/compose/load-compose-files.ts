import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readTextFile } from '../plan/load-plan';
import type { PlanIssue } from '../plan/plan-issue';
import { interpolate } from './interpolate';
import { mergeComposeFiles } from './merge-compose';
import { resolveMergeTags, splitTaggedKey } from './merge-tags';
import { parseComposeText } from './parse-compose-text';
import { dotenvIssues, parseDotenv } from './parse-dotenv';
import { resolveExtends, type ExtendedBase } from './resolve-extends';
import { rebaseProjectPaths, resolveIncludes } from './resolve-includes';

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadedComposeFiles {
  /** The merged model: interpolated, `extends` and `include` resolved, merge tags applied. */
  doc: unknown;
  /** The variables of the main project: its `.env` under the environment. */
  env: Record<string, string | undefined>;
  errors: PlanIssue[];
  warnings: PlanIssue[];
  /**
   * Where a problem found in the merged model at a Compose path (`services.a.ports[1]`) was written: the last of the
   * `-f` files whose own text holds the key, else the included file that does, else the service that `services.a`
   * extends (the file and the path there). Undefined when no single file holds it.
   */
  originOf(path: string): { file: string; path: string } | undefined;
}

/**
 * Reads Compose files as `docker compose -f a.yml -f b.yml` does: the project folder is the first file's, its
 * `.env` is read under the environment (an included project's `.env` under the including project's variables, as
 * Compose reads it), each file is parsed and interpolated, its `extends` and `include` resolved
 * (an included project with its own folder and `.env`), and the files merged in order. Never throws.
 */
export function loadComposeFiles(files: readonly string[], processEnv: Env): LoadedComposeFiles {
  const errors: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  /**
   * A project's variables as Compose builds them: its `.env` files read in order, each value interpolated with
   * `outer` first (the environment; for an included project, the including project's variables), then the files'
   * own earlier values; `outer` wins over what the files say.
   */
  const envOf = (dotenvFiles: readonly string[], outer: Env): Record<string, string | undefined> | undefined => {
    const values: Record<string, string> = {};
    const lookup = (name: string) => (Object.hasOwn(outer, name) ? outer[name] : undefined);
    let failed = false;
    for (const path of dotenvFiles) {
      const read = readTextFile(path, '.env file');
      if (!read.ok) return void errors.push(...read.errors);
      const parsed = parseDotenv(read.text, { lookup, known: values });
      errors.push(...dotenvIssues(path, parsed.errors));
      warnings.push(...dotenvIssues(path, parsed.warnings));
      failed ||= parsed.errors.length > 0;
      Object.assign(values, parsed.values);
    }
    return failed ? undefined : { ...values, ...outer };
  };
  const dotenvPath = resolve(dirname(resolve(files[0] ?? 'compose.yaml')), '.env');
  const env = envOf(existsSync(dotenvPath) ? [dotenvPath] : [], processEnv);
  if (!env) return { doc: undefined, env: { ...processEnv }, errors, warnings, originOf: () => undefined };

  const readInterpolated = (path: string, vars: Record<string, string | undefined>): unknown => {
    const read = readTextFile(path, 'Compose file');
    if (!read.ok) return void errors.push(...read.errors);
    const parsed = parseComposeText(read.text, path);
    if (!parsed.ok) return void errors.push(...parsed.errors);
    const interpolated = interpolate(parsed.doc, vars);
    errors.push(...interpolated.errors.map((item) => ({ file: path, ...item })));
    warnings.push(...interpolated.warnings.map((item) => ({ file: path, ...item })));
    return interpolated.value;
  };
  /** Files merged as `-f` merges them, each with its `extends` and `include` resolved; `chain` stops include cycles. */
  /** The `-f` files' own documents, and the included files', for `originOf`. */
  const own: { path: string; doc: unknown }[] = [];
  const includedFiles: { path: string; doc: unknown }[] = [];
  /** Each extending service's base: the file and service it extends, and that file's document. */
  const bases: ExtendedBase[] = [];
  const loadProject = (paths: readonly string[], vars: Record<string, string | undefined>, chain: string[]) => {
    let merged: unknown;
    for (const path of paths) {
      const doc = readInterpolated(path, vars);
      if (doc === undefined) continue;
      (chain.length === 0 ? own : includedFiles).push({ path, doc });
      const extended = resolveExtends(doc, path, (other) => {
        const base = readInterpolated(other, vars);
        // An extended file's relative paths are relative to its own folder, as in Compose.
        const folder = dirname(other);
        return isMap(base) && folder !== dirname(resolve(path)) ? rebaseProjectPaths(base, folder) : base;
      });
      errors.push(...extended.errors);
      bases.push(...extended.bases);
      const included = resolveIncludes(extended.doc, path, (entry, at) => {
        const cycle = entry.files.find((f) => chain.includes(f) || f === resolve(path));
        if (cycle) {
          const loop = [...chain, resolve(path), cycle].slice([...chain, resolve(path)].indexOf(cycle));
          errors.push({ file: path, path: at, message: `include cycle: ${loop.join(' → ')}` });
          return undefined;
        }
        const defaultEnv = resolve(entry.projectDirectory, '.env');
        const projectVars = envOf(
          entry.envFiles.length > 0 ? entry.envFiles : existsSync(defaultEnv) ? [defaultEnv] : [],
          vars,
        );
        if (!projectVars) return undefined;
        const project = loadProject(entry.files, projectVars, [...chain, resolve(path)]);
        return isMap(project) ? rebaseProjectPaths(project, entry.projectDirectory) : undefined;
      });
      errors.push(...included.errors);
      merged = merged === undefined ? included.doc : mergeComposeFiles(merged, included.doc);
    }
    return merged;
  };
  const merged = loadProject(files, env, []);
  const originOf = (path: string) => {
    // An included project's services cannot be defined again by the including files (Compose refuses it).
    const ownHolders = own.filter((file) => holds(file.doc, path));
    const holders = ownHolders.length > 0 ? ownHolders : includedFiles.filter((file) => holds(file.doc, path));
    // A list item's index in the merged model may be another in a file's own list: only one holder is sure.
    if (path.includes('[') && holders.length > 1) return undefined;
    const holder = holders.at(-1);
    if (holder) return { file: holder.path, path };
    // A key the service inherited: written under the service it extends (one level of extends).
    for (const base of bases) {
      const prefix = `services.${base.service}`;
      if (!path.startsWith(`${prefix}.`)) continue;
      const there = `services.${base.baseService}${path.slice(prefix.length)}`;
      if (holds(base.baseDoc, there)) return { file: base.baseFile, path: there };
    }
    return undefined;
  };
  return { doc: errors.length > 0 ? undefined : resolveMergeTags(merged), env, errors, warnings, originOf };
}

/** Whether a document has a value at a dotted path with `[i]` indices; keys may hold dots (`web.1`). */
function holds(doc: unknown, path: string): boolean {
  if (path === '') return true;
  if (Array.isArray(doc)) {
    const index = /^\[(\d+)\]\.?/.exec(path);
    return index !== null && Number(index[1]) < doc.length && holds(doc[Number(index[1])], path.slice(index[0].length));
  }
  if (!isMap(doc)) return false;
  // A merge tag (`!override`) is kept on its key (`merge-tags.ts`): the key as written is what comes before it.
  return Object.keys(doc)
    .map((key) => ({ key, name: splitTaggedKey(key).key }))
    .filter(({ name }) => path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`))
    .some(({ key, name }) => holds(doc[key], path.slice(name.length).replace(/^\./, '')));
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
