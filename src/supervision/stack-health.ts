import type { Breaker, BreakerStateName } from '../contract/supervision';
import type { SupervisedPhase, SupervisedService } from '../contract/supervision';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface ServiceHealth {
  status: HealthStatus;
  phase: SupervisedPhase;
  latency_ms: number | null;
  uptime_seconds: number;
  restarts: number;
  blocked_by?: string[];
  message?: string;
}

/** The Cascade §3 standard health response, for a whole stack: one entry per service and per dependency edge. */
export interface StackHealthDocument {
  status: HealthStatus;
  timestamp: string;
  service: { name: string; version: string; uptime_seconds: number };
  checks: {
    self: { status: HealthStatus; latency_ms: number };
    services: Record<string, ServiceHealth>;
    dependencies: Record<string, { status: HealthStatus; breaker: BreakerStateName; failures: number }>;
  };
}

export interface StackSnapshot {
  plan: string;
  /** When supervision began (the boot's end), ms since epoch. */
  supervisingSinceMs: number;
  services: SupervisedService[];
  breakers: Record<string, Breaker>;
}

/**
 * A service's own status: up phases are themselves and a blocked one is degraded; a lazy service at rest (not
 * started, or stopped when idle) is where its plan wants it, so healthy; anything else is unhealthy.
 */
export function serviceHealthStatus(service: SupervisedService): HealthStatus {
  if (service.phase === 'on-demand' || service.phase === 'idle-stopped') return 'healthy';
  if (service.phase === 'healthy' || service.phase === 'completed')
    return service.blockedBy.length > 0 ? 'degraded' : 'healthy';
  if (service.phase === 'degraded') return 'degraded';
  return 'unhealthy';
}

/**
 * The stack's status: unhealthy when a critical service is unhealthy, degraded when any service is not fully
 * healthy (or a breaker is not closed), else healthy.
 */
export function stackHealth(snapshot: StackSnapshot, nowMs: number, version = 'bootwave'): StackHealthDocument {
  const services: Record<string, ServiceHealth> = {};
  let status: HealthStatus = 'healthy';
  const worsen = (to: HealthStatus) => {
    if (to === 'unhealthy' || (to === 'degraded' && status === 'healthy')) status = to;
  };
  for (const service of snapshot.services) {
    const own = serviceHealthStatus(service);
    worsen(own === 'unhealthy' && !service.critical ? 'degraded' : own);
    services[service.name] = {
      status: own,
      phase: service.phase,
      latency_ms: service.latencyMs ?? null,
      uptime_seconds: service.upSinceMs === undefined ? 0 : Math.max(0, Math.round((nowMs - service.upSinceMs) / 1000)),
      restarts: service.restarts,
      ...(service.blockedBy.length > 0 ? { blocked_by: service.blockedBy } : {}),
      ...(service.message ? { message: service.message } : {}),
    };
  }
  const dependencies: StackHealthDocument['checks']['dependencies'] = {};
  for (const [edge, breaker] of Object.entries(snapshot.breakers)) {
    const edgeStatus: HealthStatus =
      breaker.state === 'closed' ? 'healthy' : breaker.state === 'half-open' ? 'degraded' : 'unhealthy';
    if (edgeStatus !== 'healthy') worsen('degraded');
    dependencies[edge] = { status: edgeStatus, breaker: breaker.state, failures: breaker.failuresMs.length };
  }
  return {
    status,
    timestamp: new Date(nowMs).toISOString(),
    service: {
      name: snapshot.plan,
      version,
      uptime_seconds: Math.max(0, Math.round((nowMs - snapshot.supervisingSinceMs) / 1000)),
    },
    checks: { self: { status, latency_ms: 0 }, services, dependencies },
  };
}
