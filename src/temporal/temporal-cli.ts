import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The CLI release whose dev server bootwave provisions; later tags carry a replace directive `go install` refuses. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Where the dev server comes from: a binary we run ourselves, or the SDK's own download as the last resort. */
export type TemporalCliSource =
  { kind: 'binary'; path: string; how: string } | { kind: 'sdk-download'; how: string; tried: string[] };

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BOOTWAVE_CACHE ?? join(homedir(), '.cache', 'bootwave');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv, skip?: string): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((path) => isExecutable(path) && (skip === undefined || realPath(path) !== realPath(skip)));
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A checkout's `scripts/bin/temporal` runs this same search and then the binary found: not a CLI of its own. */
const checkoutWrapper = join(__dirname, '..', '..', 'scripts', 'bin', 'temporal');

/**
 * Finds a `temporal` CLI in the documented order: `BOOTWAVE_TEMPORAL_BIN`, PATH, the cached build, a build with
 * Go, and finally the SDK's download. `tried` collects one line per attempt for the error when all fail.
 */
export function findTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): TemporalCliSource {
  const tried: string[] = [];
  const named = env.BOOTWAVE_TEMPORAL_BIN;
  if (named) {
    if (isExecutable(named)) return { kind: 'binary', path: named, how: `BOOTWAVE_TEMPORAL_BIN=${named}` };
    tried.push(`BOOTWAVE_TEMPORAL_BIN=${named}: not an executable file`);
  }
  const fromPath = onPath('temporal', env, checkoutWrapper);
  if (fromPath) return { kind: 'binary', path: fromPath, how: `temporal on PATH (${fromPath})` };
  tried.push('temporal on PATH: not found');

  const cachedDir = join(cacheDir(env), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
  const cached = join(cachedDir, 'temporal');
  if (isExecutable(cached)) return { kind: 'binary', path: cached, how: `cached build (${cached})` };
  tried.push(`cached build: ${cached} missing`);

  const go = onPath('go', env);
  if (go) {
    log(
      `bootwave: building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cachedDir} (first run only; a few minutes)`,
    );
    mkdirSync(cachedDir, { recursive: true });
    const build = spawnSync(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
      env: { ...env, GOBIN: cachedDir, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (build.status === 0 && isExecutable(cached))
      return { kind: 'binary', path: cached, how: `built with Go (${cached})` };
    tried.push(
      `go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}: exit ${build.status ?? build.signal}`,
    );
  } else {
    tried.push('build with Go: go not on PATH');
  }
  if (env.BOOTWAVE_NO_SDK_DOWNLOAD !== '1') {
    return { kind: 'sdk-download', how: "the Temporal SDK's download", tried };
  }
  throw new TemporalUnavailableError(tried);
}

export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
  constructor(readonly tried: string[]) {
    super(
      [
        'No Temporal server could be found or provisioned. Tried:',
        ...tried.map((line) => `  - ${line}`),
        'Set TEMPORAL_ADDRESS to a running server, put the `temporal` CLI on PATH (https://docs.temporal.io/cli),',
        `or install Go so bootwave can build it (go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}).`,
      ].join('\n'),
    );
  }
}
