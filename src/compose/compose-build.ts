import type { DockerBuild } from '../plan/types';
import type { ComposeContext } from './compose-context';
import { environment } from './compose-environment';
import { isMap, shown, stringOf, type Doc, type Report } from './compose-values';

/** Build settings bootwave does not pass to the builder: the image builds the same without them. */
const ignoredBuildKeys = [
  'cache_from',
  'cache_to',
  'labels',
  'network',
  'shm_size',
  'extra_hosts',
  'tags',
  'platforms',
  'pull',
  'no_cache',
  'isolation',
  'ulimits',
  'provenance',
  'sbom',
  'entitlements',
  'privileged',
];
/** Build settings a Dockerfile may depend on that bootwave's builder cannot give: refused, never dropped. */
const unsupportedBuildKeys = ['dockerfile_inline', 'ssh', 'secrets', 'additional_contexts'];
const mappedBuildKeys = ['context', 'dockerfile', 'args', 'target'];

/**
 * Compose's `build` (a context folder, or a mapping with context, dockerfile, args and target) as the plan's
 * `docker.build`. Build arguments read as `environment` does: a key without a value
 * takes the environment's, and is left out when it has none (the Dockerfile's `ARG` default applies), as in Compose.
 * A remote context (a Git URL) is not supported; whether the context and Dockerfile exist is the plan's check.
 */
export function composeBuild(
  value: unknown,
  path: string,
  ctx: ComposeContext,
  report: { error: Report; warn: Report },
): DockerBuild | undefined {
  const { error, warn } = report;
  if (typeof value !== 'string' && !isMap(value))
    return void error(path, `must be a context folder or a mapping with context, got ${shown(value)}`);
  const raw: Doc = typeof value === 'string' ? { context: value } : value;
  for (const key of Object.keys(raw)) {
    if (key.startsWith('x-') || mappedBuildKeys.includes(key)) continue;
    if (ignoredBuildKeys.includes(key)) warn(`${path}.${key}`, 'ignored: the image is built without it');
    else if (unsupportedBuildKeys.includes(key)) error(`${path}.${key}`, 'not supported by bootwave builds');
    else error(`${path}.${key}`, `unknown key (expected ${[...mappedBuildKeys, ...ignoredBuildKeys].join(', ')})`);
  }
  const at = typeof value === 'string' ? path : `${path}.context`;
  const written = raw.context === undefined ? '.' : stringOf(raw.context, at, error);
  const dockerfile = raw.dockerfile === undefined ? undefined : stringOf(raw.dockerfile, `${path}.dockerfile`, error);
  const target = raw.target === undefined ? undefined : stringOf(raw.target, `${path}.target`, error);
  const args = environment(raw.args, `${path}.args`, ctx.env, error);
  if (written === undefined) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written) || written.startsWith('git@'))
    return void error(at, `remote build contexts are not supported by bootwave, got ${shown(written)}`);
  return {
    // As written, for the plan to resolve against the project folder and to quote if it is missing; only `~` is
    // the mapping's to expand.
    context: written.startsWith('~') ? ctx.resolvePath(written) : written,
    ...(dockerfile === undefined ? {} : { dockerfile }),
    ...(Object.keys(args).length === 0 ? {} : { args }),
    ...(target === undefined ? {} : { target }),
  };
}
