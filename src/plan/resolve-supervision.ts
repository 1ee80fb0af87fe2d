import { defaultSupervision } from './defaults';
import type { PlanFile, ServiceFile } from './plan-schema';
import { ms } from './resolve-service-parts';
import type { SupervisionSpec } from './types';

type SupervisionFile = Pick<
  ServiceFile,
  'restart' | 'restartBackoff' | 'startLimitBurst' | 'startLimitInterval' | 'onDependencyFailure' | 'breaker'
> & { lazy?: ServiceFile['lazy'] };

/** The service's own supervision fields over the plan's `defaults` over bootwave's defaults. */
export function resolveSupervision(own: SupervisionFile, plan: PlanFile): SupervisionSpec {
  const planDefaults: SupervisionFile = plan.defaults ?? {};
  const lazy = own.lazy === true ? {} : own.lazy || undefined;
  const d = defaultSupervision;
  const pick = <K extends keyof SupervisionFile>(key: K) => own[key] ?? planDefaults[key];
  const backoff = { ...planDefaults.restartBackoff, ...own.restartBackoff };
  const breaker = { ...planDefaults.breaker, ...own.breaker };
  const interval = pick('startLimitInterval');
  return {
    restart: pick('restart') ?? d.restart,
    backoff: {
      initialMs: backoff.initial === undefined ? d.backoff.initialMs : ms(backoff.initial),
      maxMs: backoff.max === undefined ? d.backoff.maxMs : ms(backoff.max),
      factor: backoff.factor ?? d.backoff.factor,
    },
    startLimitBurst: pick('startLimitBurst') ?? d.startLimitBurst,
    startLimitIntervalMs: interval === undefined ? d.startLimitIntervalMs : ms(interval),
    onDependencyFailure: pick('onDependencyFailure') ?? d.onDependencyFailure,
    breaker: {
      failureThreshold: breaker.failureThreshold ?? d.breaker.failureThreshold,
      windowMs: breaker.window === undefined ? d.breaker.windowMs : ms(breaker.window),
      openMs: breaker.openFor === undefined ? d.breaker.openMs : ms(breaker.openFor),
    },
    ...(lazy
      ? {
          lazy: {
            group: lazy.group ?? 'default',
            ...(lazy.maxActive === undefined ? {} : { maxActive: lazy.maxActive }),
            // The seed's `idle_timeout_minutes: 30`.
            idleTimeoutMs: lazy.idleTimeout === undefined ? 30 * 60_000 : ms(lazy.idleTimeout),
          },
        }
      : {}),
  };
}

const fieldNames = [
  'restart',
  'restartBackoff',
  'startLimitBurst',
  'startLimitInterval',
  'onDependencyFailure',
  'breaker',
] as const;

/** Resolved plans carry `supervision` only when the file sets some: others keep bootwave's defaults implicitly. */
export function hasSupervisionFields(own: SupervisionFile, plan: PlanFile): boolean {
  return !!own.lazy || fieldNames.some((key) => own[key] !== undefined || plan.defaults?.[key] !== undefined);
}
