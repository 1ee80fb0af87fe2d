import { buildSourceProblem } from '../plan/load-plan';
import type { DockerBuild } from '../plan/types';
import type { ComposeContext } from './compose-context';
import { isMap, scalarOf, shown, stringList, stringOf, type Doc, type Report } from './compose-values';

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
 * `docker.build`, with the context made absolute. The context and its Dockerfile must exist now: a boot that would
 * fail at its first build is refused before anything starts. A remote context (a Git URL) is not supported.
 */
export function composeBuild(
  value: unknown,
  path: string,
  ctx: ComposeContext,
  report: { error: Report; warn: Report },
): DockerBuild | undefined {
  const { error, warn } = report;
  const raw: Doc = typeof value === 'string' ? { context: value } : isMap(value) ? value : {};
  if (typeof value !== 'string' && !isMap(value))
    return void error(path, `must be a context folder or a mapping with context, got ${shown(value)}`);
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
  const args = raw.args === undefined ? undefined : buildArgs(raw.args, `${path}.args`, ctx.env, error);
  if (written === undefined) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written) || written.startsWith('git@'))
    return void error(at, `remote build contexts are not supported by bootwave, got ${shown(written)}`);
  const context = ctx.resolvePath(written);
  const problem = buildSourceProblem(written, context, dockerfile);
  if (problem !== undefined)
    return void error(
      dockerfile !== undefined && problem.endsWith(`not found in ${context}`) ? `${path}.dockerfile` : at,
      problem,
    );
  return {
    context,
    ...(dockerfile === undefined ? {} : { dockerfile }),
    ...(args === undefined || Object.keys(args).length === 0 ? {} : { args }),
    ...(target === undefined ? {} : { target }),
  };
}

/**
 * Build arguments as a mapping or a `KEY=value` list; a key without a value takes the environment's value, and is
 * left out when the environment has none (so the Dockerfile's `ARG` default applies), as in Compose.
 */
function buildArgs(
  value: unknown,
  path: string,
  env: ComposeContext['env'],
  error: Report,
): Record<string, string> | undefined {
  const entries: [string, string | undefined][] = [];
  if (isMap(value)) {
    for (const [key, item] of Object.entries(value))
      entries.push([key, item === null ? undefined : (scalarOf(item, `${path}.${key}`, error) ?? undefined)]);
  } else {
    const list = stringList(value, path, error);
    if (list === undefined) return undefined;
    for (const entry of list) {
      const at = entry.indexOf('=');
      entries.push(at < 0 ? [entry, undefined] : [entry.slice(0, at), entry.slice(at + 1)]);
    }
  }
  const args: Record<string, string> = {};
  for (const [key, item] of entries) {
    const resolved = item ?? env[key];
    if (resolved !== undefined) args[key] = resolved;
  }
  return args;
}
