import { defaultStartTimeoutMs } from '../plan/defaults';
import { parseDuration } from '../plan/duration';
import { maxDurationMs } from '../plan/plan-schema';
import { didYouMean } from '../plan/closest-name';
import { asBool, isMap, notBoolean, type Report } from './compose-values';
import { composeDuration, goDuration } from './go-duration';

/** Compose's defaults for healthcheck timing (docs: interval 30s, timeout 30s, retries 3, start_interval 5s). */
export const composeHealthDefaults = {
  interval: '30s',
  timeout: '30s',
  retries: 3,
  startPeriod: '0s',
  startInterval: '5s',
} as const;

/** What a service's `healthcheck` says, for the gates on it and its start timeout. */
export type HealthState =
  | { kind: 'none'; timing: Record<string, unknown> }
  | { kind: 'image'; timing: Record<string, unknown> }
  /** `written`: disabled by the file (passed on to the engine); else malformed (an error). */
  | { kind: 'disabled'; how: string; written?: true }
  | { kind: 'test'; spec: Record<string, unknown>; timing: Record<string, unknown> };

/** The Compose Specification's healthcheck keys: bootwave applies every one. */
const healthcheckKeys = ['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'];

/** A Compose `healthcheck`: a test of its own, the image's (no `test`), disabled, or absent; malformed is an error. */
export function healthcheckOf(value: unknown, path: string, error: Report): HealthState {
  if (value === undefined) return { kind: 'none', timing: {} };
  if (!isMap(value)) {
    error(path, 'must be a mapping');
    return { kind: 'disabled', how: 'malformed' };
  }
  for (const key of Object.keys(value)) {
    if (key.startsWith('x-')) continue;
    if (!healthcheckKeys.includes(key))
      error(
        `${path}.${key}`,
        `unknown key${didYouMean(key, healthcheckKeys) || ` (expected ${healthcheckKeys.join(', ')})`}`,
      );
  }
  const timing: Record<string, unknown> = {};
  for (const [from, to] of [
    ['interval', 'interval'],
    ['timeout', 'timeout'],
    ['retries', 'retries'],
    ['start_period', 'startPeriod'],
    ['start_interval', 'startInterval'],
  ] as const)
    if (value[from] !== undefined)
      timing[to] = from === 'retries' ? value[from] : composeDuration(value[from], `${path}.${from}`, error);
  const disable = value.disable === undefined ? false : asBool(value.disable);
  if (disable === undefined) error(`${path}.disable`, notBoolean(value.disable));
  if (disable === true) return { kind: 'disabled', how: 'disable: true', written: true };
  const rawTest = value.test;
  let test: string[];
  if (rawTest === undefined) return { kind: 'image', timing };
  if (typeof rawTest === 'string') test = ['CMD-SHELL', rawTest];
  else if (Array.isArray(rawTest) && rawTest.length > 0 && rawTest.every((item) => typeof item === 'string'))
    test = rawTest as string[];
  else {
    error(
      `${path}.test`,
      `must be a command string or a list starting with CMD, CMD-SHELL or NONE, got ${JSON.stringify(rawTest)}`,
    );
    return { kind: 'disabled', how: 'malformed test' };
  }
  if (test[0] === 'NONE') return { kind: 'disabled', how: 'test: ["NONE"]', written: true };
  if (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL') {
    error(`${path}.test`, `must start with CMD, CMD-SHELL or NONE (got "${test[0]}")`);
    return { kind: 'disabled', how: 'malformed test' };
  }
  if (test.length < 2) {
    error(`${path}.test`, `${test[0]} needs a command after it`);
    return { kind: 'disabled', how: 'malformed test' };
  }
  return {
    kind: 'test',
    timing,
    spec: {
      test,
      interval: timing.interval ?? composeHealthDefaults.interval,
      timeout: timing.timeout ?? composeHealthDefaults.timeout,
      retries: timing.retries ?? composeHealthDefaults.retries,
      startPeriod: timing.startPeriod ?? composeHealthDefaults.startPeriod,
      startInterval: timing.startInterval ?? composeHealthDefaults.startInterval,
    },
  };
}

/**
 * Compose waits for a health check until it fails: start_period + interval × retries. Without an explicit
 * `x-bootwave.startTimeout`, bootwave's start timeout is that when it exceeds the default, so a slow service
 * (start_period: 600s) is not given up on before Compose would.
 */
export function derivedStartTimeout(service: Record<string, unknown>, health: HealthState | undefined): void {
  if (service.startTimeout !== undefined || !health || health.kind === 'none' || health.kind === 'disabled') return;
  const docker = service.docker as { healthcheck?: Record<string, unknown> } | undefined;
  const timing = docker?.healthcheck ?? health.timing;
  const msOf = (value: unknown, fallback: string) => {
    const written = goDuration(value ?? fallback);
    return typeof written === 'string' || typeof written === 'number' ? (parseDuration(written) ?? 0) : 0;
  };
  const retries = Number(timing.retries ?? composeHealthDefaults.retries);
  const budget =
    msOf(timing.startPeriod, composeHealthDefaults.startPeriod) +
    msOf(timing.interval, composeHealthDefaults.interval) * (Number.isFinite(retries) ? retries : 3);
  // The budget Compose's timing implies, within the longest a plan allows (a year): a derived number is no mistake
  // of the file's, and a bad retries or interval is reported at its own key.
  if (budget > defaultStartTimeoutMs && Number.isFinite(budget)) service.startTimeout = Math.min(budget, maxDurationMs);
}
