import { dirname, resolve } from 'node:path';
import type { PlanIssue } from '../plan/plan-issue';
import { mergeService } from './merge-compose';
import { isMap, type Doc } from './compose-values';

/** A service of the file that extends another: where what it inherits was written (the base's file and document). */
export interface ExtendedBase {
  service: string;
  baseFile: string;
  baseService: string;
  baseDoc: unknown;
}

/**
 * Resolves every service's `extends` (`extends: base` or `{ service, file }`) as Compose does: the extended
 * service, itself resolved first, merged with the extending one by the `-f` merge rules. `loadFile` reads another
 * Compose file (parsed and interpolated) at its absolute path; undefined when it could not (it reports why).
 */
export function resolveExtends(
  doc: unknown,
  file: string,
  loadFile: (path: string) => unknown,
): { doc: unknown; errors: PlanIssue[]; bases: ExtendedBase[] } {
  const errors: PlanIssue[] = [];
  const bases: ExtendedBase[] = [];
  if (!isMap(doc) || !isMap(doc.services)) return { doc, errors, bases };
  const services = doc.services;
  const resolved = new Map<string, Doc>();
  const files = new Map<string, unknown>();

  const resolveIn = (owner: Doc, name: string, chain: string[], where: string): Doc | undefined => {
    const key = `${where}\0${name}`;
    const cached = where === file ? resolved.get(name) : undefined;
    if (cached) return cached;
    const service = owner[name];
    if (!isMap(service)) return undefined;
    const ext = service.extends;
    if (ext === undefined) return service;
    const path = `services.${name}.extends`;
    if (chain.includes(key)) {
      errors.push({
        file: where,
        path,
        message: `extends cycle: ${[...chain, key].map((k) => k.split('\0')[1]).join(' → ')}`,
      });
      return undefined;
    }
    const target = typeof ext === 'string' ? { service: ext } : isMap(ext) ? ext : undefined;
    if (!target || typeof target.service !== 'string') {
      errors.push({ file: where, path, message: 'must be a service name or { service, file }' });
      return undefined;
    }
    let baseOwner = owner;
    let baseWhere = where;
    if (typeof target.file === 'string') {
      // Relative to the file that names it, which may itself be an extended file in another folder.
      const otherPath = resolve(dirname(resolve(where)), target.file);
      if (!files.has(otherPath)) files.set(otherPath, loadFile(otherPath));
      const other = files.get(otherPath);
      if (other === undefined) return undefined; // the loader has said why
      if (!isMap(other) || !isMap(other.services)) {
        errors.push({ file: where, path: `${path}.file`, message: `${target.file} has no services to extend` });
        return undefined;
      }
      baseOwner = other.services;
      baseWhere = otherPath;
    }
    const base = resolveIn(baseOwner, target.service, [...chain, key], baseWhere);
    if (!base) {
      if (!isMap(baseOwner[target.service]))
        errors.push({
          file: where,
          path: `${path}.service`,
          message: `unknown service "${target.service}"${typeof target.file === 'string' ? ` in ${target.file}` : ''}`,
        });
      return undefined;
    }
    // Everything is inherited, depends_on too, as Docker Compose v2 does (v1 left it out).
    const rest = { ...service };
    delete rest.extends;
    const merged = mergeService(base, rest);
    if (where === file) {
      resolved.set(name, merged);
      const baseDoc = baseWhere === file ? doc : files.get(baseWhere);
      bases.push({ service: name, baseFile: baseWhere, baseService: target.service, baseDoc });
    }
    return merged;
  };

  const out: Doc = {};
  for (const name of Object.keys(services)) out[name] = resolveIn(services, name, [], file) ?? services[name];
  return { doc: { ...doc, services: out }, errors, bases };
}
