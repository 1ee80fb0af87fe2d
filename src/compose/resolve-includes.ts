import { dirname, isAbsolute, resolve } from 'node:path';
import type { PlanIssue } from '../plan/plan-issue';
import { isMap, type Doc } from './compose-values';

/** One `include` entry, normalised: its files (merged as `-f`), its project folder and its `.env` files. */
export interface IncludeEntry {
  files: string[];
  projectDirectory: string;
  envFiles: string[];
}

/** The top-level sections an included project contributes; a name defined twice is an error, as in Compose. */
const sections = ['services', 'volumes', 'networks', 'secrets', 'configs'] as const;

/**
 * Resolves a Compose file's top-level `include` as Compose does: each entry is a project of its own (its paths
 * relative to its own folder, its own `.env`), loaded by `loadProject` and added to this file's model; a service,
 * volume, network, secret or config defined both here and in an included project is an error.
 */
export function resolveIncludes(
  doc: unknown,
  file: string,
  loadProject: (entry: IncludeEntry, path: string) => Doc | undefined,
): { doc: unknown; errors: PlanIssue[] } {
  const errors: PlanIssue[] = [];
  if (!isMap(doc) || doc.include === undefined) return { doc, errors };
  const { include, ...rest } = doc;
  const out: Doc = { ...rest };
  const error = (path: string, message: string) => void errors.push({ file, path, message });
  if (!Array.isArray(include)) {
    error('include', 'must be a list of files or { path, project_directory, env_file }');
    return { doc: out, errors };
  }
  const folder = dirname(resolve(file));
  include.forEach((item, index) => {
    const path = `include[${index}]`;
    const entry = includeEntry(item, folder);
    if (typeof entry === 'string') return error(path, entry);
    const project = loadProject(entry, path);
    if (!project) return;
    for (const section of sections) {
      const theirs = project[section];
      if (!isMap(theirs)) continue;
      const ours: Doc = isMap(out[section]) ? { ...out[section] } : {};
      for (const [name, value] of Object.entries(theirs)) {
        if (name in ours) error(`${section}.${name}`, `also defined by the included ${entry.files.join(', ')}`);
        else ours[name] = value;
      }
      out[section] = ours;
    }
  });
  return { doc: out, errors };
}

function includeEntry(item: unknown, folder: string): IncludeEntry | string {
  const paths = (value: unknown) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((p) => resolve(folder, String(p)));
  if (typeof item === 'string') {
    const file = resolve(folder, item);
    return { files: [file], projectDirectory: dirname(file), envFiles: [] };
  }
  if (!isMap(item)) return 'must be a file path or { path, project_directory, env_file }';
  for (const key of Object.keys(item))
    if (!['path', 'project_directory', 'env_file'].includes(key)) return `unknown key "${key}" in an include entry`;
  const files = paths(item.path);
  if (files.length === 0) return 'needs a path';
  const projectDirectory =
    item.project_directory === undefined ? dirname(files[0]!) : resolve(folder, String(item.project_directory));
  return { files, projectDirectory, envFiles: paths(item.env_file) };
}

/**
 * An included project's relative paths made absolute against its own folder (bind mounts, build contexts,
 * `env_file`, file-backed secrets and configs), so the including project's folder does not change what they name.
 */
export function rebaseProjectPaths(project: Doc, folder: string): Doc {
  const absolute = (path: string) => (isAbsolute(path) || path.startsWith('~') ? path : resolve(folder, path));
  const relative = (path: string) => path.startsWith('.');
  const out: Doc = { ...project };
  if (isMap(project.services))
    out.services = Object.fromEntries(
      Object.entries(project.services).map(([name, service]) => [name, rebaseService(service, absolute, relative)]),
    );
  for (const section of ['secrets', 'configs'] as const) {
    if (!isMap(project[section])) continue;
    out[section] = Object.fromEntries(
      Object.entries(project[section]).map(([name, def]) => [
        name,
        isMap(def) && typeof def.file === 'string' ? { ...def, file: absolute(def.file) } : def,
      ]),
    );
  }
  return out;
}

function rebaseService(service: unknown, absolute: (p: string) => string, relative: (p: string) => boolean): unknown {
  if (!isMap(service)) return service;
  const out: Doc = { ...service };
  if (Array.isArray(service.volumes))
    out.volumes = service.volumes.map((volume) => {
      if (isMap(volume))
        return typeof volume.source === 'string' && relative(volume.source)
          ? { ...volume, source: absolute(volume.source) }
          : volume;
      const [source, ...restOfIt] = String(volume).split(':');
      return source !== undefined && relative(source) ? [absolute(source), ...restOfIt].join(':') : volume;
    });
  // A build context is relative to its own project's folder too (`.` when the mapping leaves it out).
  if (typeof service.build === 'string') out.build = absolute(service.build);
  else if (isMap(service.build))
    out.build = { ...service.build, context: absolute(String(service.build.context ?? '.')) };
  if (service.env_file !== undefined) {
    const list = Array.isArray(service.env_file) ? service.env_file : [service.env_file];
    out.env_file = list.map((item) =>
      isMap(item) ? { ...item, path: absolute(String(item.path)) } : absolute(String(item)),
    );
  }
  return out;
}
