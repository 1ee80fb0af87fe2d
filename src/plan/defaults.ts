import type { ProbeTiming, SupervisionSpec } from './types';

/**
 * Probe timing when neither the service nor the plan's `defaults.health` sets it. bootwave exists to boot fast,
 * so it probes far more often than its peers: Compose's 30s interval makes a 3-level `service_healthy` chain take
 * ~95s, Kubernetes probes every 10s, Flux every 5s. Probes are cheap local requests; the cost of waiting is not.
 */
export const defaultProbeTiming: ProbeTiming = {
  // 1s: a healthy service is noticed within a second after its start period (Compose 30s, k8s 10s, Flux 5s).
  intervalMs: 1000,
  // 2s: a health endpoint that needs longer is itself a problem; Compose's 30s hides hangs, k8s's 1s is tight for
  // a cold JVM or Python handler on a busy machine.
  timeoutMs: 2000,
  // 3 consecutive failures, as Compose `retries` and k8s `failureThreshold`: one dropped probe never fails a boot.
  retries: 3,
  // 1, as k8s `successThreshold`: the first passing probe is a pass; flapping services can ask for more.
  successThreshold: 1,
  // 0s for a container's own HEALTHCHECK (as Compose). A bootwave check without one uses the service's start
  // timeout instead (see resolveHealth): still coming up is not failing; a crash fails at once regardless.
  startPeriodMs: 0,
  // 250ms during the start period: what Compose's `start_interval` (5s) was meant for — catch readiness fast
  // without hammering the service (Compose polls dependency state every 500ms on top of its interval).
  startIntervalMs: 250,
};

/** 60s from start to healthy: long enough for a container pull-less start, short of Helm's 5 min wait. */
export const defaultStartTimeoutMs = 60_000;

/** 5s between SIGTERM and SIGKILL: shorter than Docker's 10s and k8s's 30s, enough for a clean local shutdown. */
export const defaultStopGraceMs = 5000;

/** 1s expected start when a service declares none: one probe interval, so the critical path still counts hops. */
export const defaultExpectedStartMs = 1000;

/** Kubernetes namespace when a target names none. */
export const defaultNamespace = 'default';

/** Any 2xx (an empty list), as `curl -f` and k8s `httpGet` accept success; list codes to be stricter. */
export const defaultExpectStatus: number[] = [];

/** Comma-separated profiles to select when the caller passes none (as Compose's `COMPOSE_PROFILES`). */
export const profilesEnvVar = 'BOOTWAVE_PROFILES';

/**
 * Supervision when neither the service nor the plan's `defaults` sets it: restart what failed (a kill -9 is a
 * failure, exit 0 is not), 1 s → 30 s backoff, and give up after 5 restarts within 60 s (the example;
 * systemd's 5 in 10 s misses a service that dies a few seconds after each start).
 */
export const defaultSupervision: SupervisionSpec = {
  restart: 'on-failure',
  backoff: { initialMs: 1000, maxMs: 30_000, factor: 2 },
  startLimitBurst: 5,
  startLimitIntervalMs: 60_000,
  onDependencyFailure: 'restart',
  breaker: { failureThreshold: 5, windowMs: 60_000, openMs: 30_000 },
};
