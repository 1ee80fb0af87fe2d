// The one module of the plan model that does IO: it reads the file and answers path questions for the pure loader.
// eslint-disable-next-line no-restricted-imports
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { dirname, join, resolve } from 'node:path';
import type { BuildSourceCheck } from './check-service-entry';
import type { LocalPathCheck } from './check-local-paths';
import { loadPlanDocument, type LoadOptions } from './load-plan-document';
import { manifestDocuments } from './manifest-documents';
import { manifestDigest, manifestFiles } from './manifest-files';
import { parsePlanText } from './parse-plan-text';
import type { LoadResult, PlanIssue } from './plan-issue';
import type { ResolvedPlan } from './types';

export interface LoadPlanOptions {
  /** Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  profiles?: readonly string[];
}

const readErrors: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory, not a file',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * Reads a plan or Compose file as UTF-8 text (a byte-order mark is dropped). Unreadable files and bytes that are
 * not UTF-8 come back as one issue in bootwave's words ("Failed to read <what>: <reason>"); never throws.
 */
export function readTextFile(
  file: string,
  what: string,
): { ok: true; text: string } | { ok: false; errors: [PlanIssue] } {
  const fail = (reason: string): { ok: false; errors: [PlanIssue] } => ({
    ok: false,
    errors: [{ file, path: '', message: `Failed to read ${what}: ${reason}` }],
  });
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT' && file === '-') return fail('standard input is not read: give the path of a file');
    if (code === 'ENOENT' && /^[a-z][a-z0-9+.-]*:\/\//i.test(file))
      return fail('URLs are not fetched: give the path of a local file');
    return fail(readErrors[code] ?? `error ${code || 'reading the file'}`);
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return fail(`not UTF-8 text (byte ${offset} is 0x${bytes[offset]?.toString(16).padStart(2, '0') ?? '??'})`);
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return 0;
}

/**
 * Reads and validates a plan file. Relative paths in it resolve against the file's folder, and Kubernetes
 * manifest paths must exist. Returns the plan or every issue; never throws for bad input or a missing file.
 * The only reading of files in the plan model: workflows never import this module.
 */
export function loadPlan(file: string, options: LoadPlanOptions = {}): LoadResult<ResolvedPlan> {
  const read = readTextFile(file, 'plan');
  if (!read.ok) return read;
  const parsed = parsePlanText(read.text, file);
  return parsed.ok ? loadParsedPlan(file, parsed.doc, options) : parsed;
}

/** `loadPlan` of a file already read and parsed (`loadPlanOrCompose` parses once to tell plans from Compose). */
export function loadParsedPlan(file: string, doc: unknown, options: LoadPlanOptions = {}): LoadResult<ResolvedPlan> {
  const folder = dirname(resolve(file));
  const loadOptions: LoadOptions = {
    file,
    env: options.env ?? process.env,
    ...(options.profiles === undefined ? {} : { profiles: options.profiles, profilesNamed: true }),
    resolvePath: (path) => resolve(folder, path),
    manifestProblems,
    buildProblem: buildSourceProblem,
    localPaths: localPathCheck(),
  };
  const result = loadPlanDocument(doc, loadOptions);
  if (!result.ok) return result;
  const services = result.plan.services.map((service) =>
    service.target.driver === 'kubernetes' && service.target.manifests.length > 0
      ? { ...service, target: { ...service.target, manifestDigest: manifestDigest(service.target.manifests) } }
      : service,
  );
  return { ok: true, plan: { ...result.plan, services, source: resolve(file) } };
}

/**
 * This machine's process working directories and executable paths, as a start would find them. A folder is looked
 * at once per load: most services of a large plan share one (the plan's own).
 */
function localPathCheck(): LocalPathCheck {
  const folders = new Map<string, string | undefined>();
  const folderProblem = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return `working directory ${path} does not exist`;
    return stat.isDirectory() ? undefined : `working directory ${path} is not a folder`;
  };
  return {
    directory(path) {
      if (!folders.has(path)) folders.set(path, folderProblem(path));
      return folders.get(path);
    },
    executable,
  };
}

/** What keeps an executable given as a path from running, if anything. */
function executable(file: string, cwd: string): string | undefined {
  const path = resolve(cwd, file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return `executable ${file} not found${path === file ? '' : ` (looked at ${path})`}`;
  if (stat.isDirectory()) return `${file} is a folder, not an executable (${path})`;
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return `${file} is not executable (${path} lacks execute permission)`;
  }
}

/** A manifest file's, or each manifest file of a folder's, problems. */
function manifestProblems(path: string): string[] {
  if (!existsSync(path)) return [`manifest not found: ${path}`];
  try {
    return manifestFiles(path).flatMap((file) => manifestDocuments(readFileSync(file, 'utf8'), file).problems);
  } catch (error) {
    return [`Failed to read manifest ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`];
  }
}

/**
 * What would make a build fail before it starts: a context that is not a folder, a Dockerfile not in it. `written`
 * is the context as the file wrote it, `context` the absolute folder; `at` the build key at fault (none for the
 * default Dockerfile). Plans and Compose files alike (the importer injects it too).
 */
export const buildSourceProblem: BuildSourceCheck = (written, context, dockerfile) => {
  if (!existsSync(context) || !statSync(context).isDirectory())
    return { message: `build context ${written} is not a folder (looked in ${context})`, at: 'context' };
  const file = dockerfile ?? 'Dockerfile';
  if (!existsSync(join(context, file)))
    return { message: `${file} not found in ${context}`, ...(dockerfile === undefined ? {} : { at: 'dockerfile' }) };
  return undefined;
};
