import type { ComposeContext } from './compose-context';
import { asBool, externalOf, isMap, notBoolean, shown, type Doc, type Report } from './compose-values';
import { dockerMemoryBytes } from './docker-memory';

/** What a long-syntax volume may say (Compose's schema), and what its `bind` and `volume` options may. */
const mountKeys = ['type', 'source', 'target', 'read_only', 'consistency', 'bind', 'volume', 'tmpfs', 'image'];
const bindOptionKeys = ['propagation', 'create_host_path', 'recursive', 'selinux'];
const volumeOptionKeys = ['labels', 'nocopy', 'subpath'];
const tmpfsOptionKeys = ['size', 'mode'];
const propagations = ['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate'];

/** Mounts that are not binds: anonymous volumes (`- /data`) and tmpfs mounts (target → the engine's options). */
export interface OtherMounts {
  anonymous: string[];
  tmpfs: Record<string, string>;
  /** Every target the volumes mount, binds included. */
  targets: string[];
}

/**
 * Bind mounts (relative sources resolved) and named volumes (scoped to the plan, as Compose scopes to the project),
 * as the engine's bind syntax `source:target[:options]`. Long-syntax options the engine takes that way are applied
 * (`read_only`, `bind.propagation`, `bind.selinux`, `volume.nocopy`, `tmpfs.size`, `tmpfs.mode`); `volume.subpath`
 * and unknown keys are errors; the other options are warned about. Anonymous volumes and tmpfs mounts go to `other`.
 */
export function mounts(
  value: unknown,
  path: string,
  plan: string,
  declared: Doc,
  ctx: ComposeContext,
  report: { error: Report; warn: Report },
  other: OtherMounts,
  recordItem: (index: number, origin: string) => void,
): string[] {
  const { error, warn } = report;
  const out: string[] = [];
  if (!Array.isArray(value)) {
    error(path, 'must be a list');
    return out;
  }
  // Every mount by its target, in file order: a later one at the same target replaces the earlier, as Compose
  // merges a service's volumes by target (the engine would refuse two mounts at one path).
  const byTarget = new Map<string, { at: string; bind?: string; tmpfs?: string; anonymous?: true }>();
  const mount = (target: string, at: string, kind: { bind: string } | { tmpfs: string } | { anonymous: true }) => {
    byTarget.delete(target);
    byTarget.set(target, { at, ...kind });
  };
  value.forEach((item, index) => {
    const at = `${path}[${index}]`;
    let source: string;
    let target: string;
    let mode = '';
    if (isMap(item)) {
      const long = longMount(item, at, error, warn);
      if (!long) return;
      if (long.type === 'tmpfs') return mount(long.target, at, { tmpfs: long.options.join(',') });
      ({ source, target } = long);
      mode = long.options.join(',');
      if (source === '' && long.type === 'volume' && target !== '') {
        if (long.options.includes('nocopy'))
          warn(`${at}.volume.nocopy`, 'ignored: an anonymous volume is created empty and filled from the image');
        return mount(target, at, { anonymous: true });
      }
    } else if (typeof item !== 'string') {
      return error(
        at,
        `must be a string (source:target[:mode]) or a mapping with type, source and target, got ${shown(item)}`,
      );
    } else {
      const parts = item.split(':');
      // `- /data`: an anonymous volume, created with the container and removed with it, as in Compose.
      if (parts.length < 2) return mount(item, at, { anonymous: true });
      [source, target, mode = ''] = parts as [string, string, string?];
    }
    if (source === '' || target === '') return error(at, 'needs a source and a target');
    let resolved: string;
    if (source.startsWith('.') || source.startsWith('/') || source.startsWith('~')) resolved = ctx.resolvePath(source);
    else if (!(source in declared)) return error(at, `volume "${source}" is not declared in the top-level volumes`);
    else {
      // A malformed `external` is reported with the declaration; here it reads as a volume of the plan.
      const external = externalOf(declared[source], source);
      resolved = external?.external ? external.name : `bootwave-${plan}-${source}`;
    }
    mount(target, at, { bind: mode === '' ? `${resolved}:${target}` : `${resolved}:${target}:${mode}` });
  });
  for (const [target, kept] of byTarget) {
    other.targets.push(target);
    if (kept.anonymous) other.anonymous.push(target);
    else if (kept.tmpfs !== undefined) other.tmpfs[target] = kept.tmpfs;
    else {
      recordItem(out.length, kept.at);
      out.push(kept.bind!);
    }
  }
  return out;
}

/** A long-syntax volume: its parts and the bind options it maps to; undefined (reported) when it cannot be mounted. */
function longMount(
  item: Doc,
  at: string,
  error: Report,
  warn: Report,
): { type: 'bind' | 'volume' | 'tmpfs'; source: string; target: string; options: string[] } | undefined {
  let bad = false;
  const fail = (key: string, message: string) => {
    error(`${at}.${key}`, message);
    bad = true;
  };
  const known = (value: Doc, keys: string[], where: string) => {
    for (const key of Object.keys(value))
      if (!key.startsWith('x-') && !keys.includes(key))
        fail(where === '' ? key : `${where}.${key}`, `unknown key (expected ${keys.join(', ')})`);
  };
  known(item, mountKeys, '');
  if (item.type === undefined) return void fail('type', 'is required (bind, volume or tmpfs)');
  if (item.type !== 'bind' && item.type !== 'volume' && item.type !== 'tmpfs')
    return void error(at, `volume type "${String(item.type)}" is not supported by bootwave`);
  const type = item.type as 'bind' | 'volume' | 'tmpfs';
  if (type === 'tmpfs' && item.source !== undefined) fail('source', 'a tmpfs mount has no source');
  if (type === 'tmpfs' && typeof item.target !== 'string') fail('target', 'is required (where the tmpfs is mounted)');
  for (const key of ['source', 'target'] as const)
    if (item[key] !== undefined && typeof item[key] !== 'string')
      fail(key, `must be a string, got ${shown(item[key])}`);
  const options: string[] = [];
  if (item.read_only !== undefined) {
    const readOnly = asBool(item.read_only);
    if (readOnly === undefined) fail('read_only', notBoolean(item.read_only));
    else if (readOnly) options.push('ro');
  }
  if (item.consistency !== undefined)
    warn(`${at}.consistency`, "ignored: the engine's default consistency is used (it only matters on macOS)");
  for (const key of ['bind', 'volume', 'tmpfs', 'image'] as const) {
    const settings = item[key];
    if (settings === undefined) continue;
    if (!isMap(settings)) {
      fail(key, `must be a mapping, got ${shown(settings)}`);
      continue;
    }
    if (key === 'bind') known(settings, bindOptionKeys, key);
    if (key === 'volume') known(settings, volumeOptionKeys, key);
    if (key === 'tmpfs') known(settings, tmpfsOptionKeys, key);
    // Options of another mount type: Compose ignores them too.
    if (key !== type) {
      warn(`${at}.${key}`, `ignored: ${key} options do not apply to a ${type} mount`);
      continue;
    }
    if (key === 'bind') {
      if (settings.propagation !== undefined) {
        if (typeof settings.propagation === 'string' && propagations.includes(settings.propagation))
          options.push(settings.propagation);
        else fail('bind.propagation', `must be one of ${propagations.join(', ')}, got ${shown(settings.propagation)}`);
      }
      if (settings.selinux !== undefined) {
        if (settings.selinux === 'z' || settings.selinux === 'Z') options.push(settings.selinux);
        else fail('bind.selinux', `must be z or Z, got ${shown(settings.selinux)}`);
      }
      if (settings.create_host_path !== undefined) {
        const create = asBool(settings.create_host_path);
        if (create === undefined) fail('bind.create_host_path', notBoolean(settings.create_host_path));
        else if (!create)
          warn(
            `${at}.bind.create_host_path`,
            'ignored: the engine creates a missing host path (bootwave mounts binds as the short syntax does)',
          );
      }
      if (settings.recursive !== undefined)
        warn(`${at}.bind.recursive`, "ignored: the engine's default recursive mount is used");
    }
    if (key === 'tmpfs') {
      if (settings.size !== undefined) {
        const bytes = dockerMemoryBytes(settings.size);
        if (bytes === undefined)
          fail('tmpfs.size', `invalid size ${shown(settings.size)}: expected e.g. 64m, 1g or bytes`);
        else options.push(`size=${bytes}`);
      }
      if (settings.mode !== undefined) {
        // Compose passes the number on as the mode; the engine's option takes it in octal.
        if (typeof settings.mode !== 'number' || !Number.isInteger(settings.mode) || settings.mode < 0)
          fail('tmpfs.mode', `must be a file mode number, got ${shown(settings.mode)}`);
        else options.push(`mode=${settings.mode.toString(8)}`);
      }
    }
    if (key === 'volume') {
      if (settings.subpath !== undefined)
        fail(
          'volume.subpath',
          `not supported by bootwave: it would mount the whole volume, not its ${shown(settings.subpath)} (mount a volume of its own instead)`,
        );
      if (settings.nocopy !== undefined) {
        const nocopy = asBool(settings.nocopy);
        if (nocopy === undefined) fail('volume.nocopy', notBoolean(settings.nocopy));
        else if (nocopy) options.push('nocopy');
      }
      if (settings.labels !== undefined)
        warn(`${at}.volume.labels`, 'ignored: the volume is created without these labels');
    }
  }
  if (bad) return undefined;
  return {
    type,
    source: typeof item.source === 'string' ? item.source : '',
    target: typeof item.target === 'string' ? item.target : '',
    options,
  };
}
