import type { ServiceFile } from './plan-schema';
import type { Report } from './service-entry';
import type { ServiceSpec } from './types';

/** Looks at this machine's files (IO, injected by the file loader); each returns what is wrong, if anything. */
export interface LocalPathCheck {
  /** A working directory that is not a folder. */
  directory(path: string): string | undefined;
  /** An executable named by a path (`./server`, `/opt/app/bin/run`, relative to `cwd`) that cannot run. */
  executable(file: string, cwd: string): string | undefined;
}

/**
 * A process service that runs on this machine's workers (no `host`) and whose working directory or executable path
 * is missing would fail its start mid-boot, after retries: refused up front instead. An executable named without a
 * path is looked up on the worker's PATH when it starts, so it is left to the start. Exec health checks' `cwd` too.
 */
export function checkLocalPaths(
  service: ServiceSpec,
  spec: ServiceFile,
  resolvePath: (path: string) => string,
  check: LocalPathCheck,
  report: Report,
): void {
  if (service.host !== undefined) return;
  const at = `services.${service.name}`;
  const { target } = service;
  if (target.driver === 'process') {
    const cwd = target.cwd ?? resolvePath('.');
    const cwdProblem = check.directory(cwd);
    if (cwdProblem) report(`${at}.process.cwd`, cwdProblem);
    const [file] = target.command;
    const fileProblem = !cwdProblem && file?.includes('/') ? check.executable(file, cwd) : undefined;
    if (fileProblem) report(`${at}.process.command[0]`, fileProblem);
  }
  for (const exec of execChecks(spec.health, `${at}.health`)) {
    const problem = check.directory(resolvePath(exec.cwd));
    if (problem) report(`${exec.path}.cwd`, problem);
  }
}

/** Every exec check with a `cwd` in a service's health (its check, a composite's checks, its stages'), with its path. */
function execChecks(value: unknown, path: string): { cwd: string; path: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => execChecks(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (record.kind === 'exec') return typeof record.cwd === 'string' ? [{ cwd: record.cwd, path }] : [];
  return Object.entries(record).flatMap(([key, item]) => execChecks(item, `${path}.${key}`));
}
