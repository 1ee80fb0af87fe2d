// The one module of the plan model that does IO: it reads the file and answers path questions for the pure loader.
// eslint-disable-next-line no-restricted-imports
import { existsSync, readFileSync } from 'node:fs';
// eslint-disable-next-line no-restricted-imports
import { dirname, resolve } from 'node:path';
import type { LoadOptions } from './load-plan-document';
import { loadPlanText } from './load-plan-text';
import type { LoadResult } from './plan-issue';
import type { ResolvedPlan } from './types';

export interface LoadPlanOptions {
  /** Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  profiles?: readonly string[];
}

/**
 * Reads and validates a plan file. Relative paths in it resolve against the file's folder, and Kubernetes
 * manifest paths must exist. Returns the plan or every issue; never throws for bad input or a missing file.
 * The only reading of files in the plan model: workflows never import this module.
 */
export function loadPlan(file: string, options: LoadPlanOptions = {}): LoadResult<ResolvedPlan> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : error instanceof Error
          ? error.message
          : String(error);
    return { ok: false, errors: [{ file, path: '', message: `Failed to read plan: ${reason}` }] };
  }
  const folder = dirname(resolve(file));
  const loadOptions: LoadOptions = {
    file,
    env: options.env ?? process.env,
    ...(options.profiles === undefined ? {} : { profiles: options.profiles }),
    resolvePath: (path) => resolve(folder, path),
    pathExists: existsSync,
  };
  const result = loadPlanText(text, loadOptions);
  return result.ok ? { ok: true, plan: { ...result.plan, source: resolve(file) } } : result;
}
