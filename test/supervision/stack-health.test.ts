import { stackHealth, type StackSnapshot } from '../../src/supervision/stack-health';
import type { SupervisedService } from '../../src/contract/supervision';

const service = (patch: Partial<SupervisedService> & Pick<SupervisedService, 'name' | 'phase'>): SupervisedService => ({
  critical: true,
  sinceMs: 0,
  upSinceMs: 0,
  restarts: 0,
  recentRestartsMs: [],
  blockedBy: [],
  ...patch,
});
const now = Date.UTC(2026, 10, 29, 8, 0, 0);
const snapshot = (services: SupervisedService[], breakers: StackSnapshot['breakers'] = {}): StackSnapshot => ({
  plan: 'demo',
  supervisingSinceMs: now - 60_000,
  services,
  breakers,
});

describe('stackHealth', () => {
  it('a lazy service at rest is healthy: its plan wants it stopped', () => {
    const doc = stackHealth(
      snapshot([
        service({ name: 'db', phase: 'healthy' }),
        service({ name: 'whisper', phase: 'on-demand', upSinceMs: undefined }),
        service({ name: 'phi', phase: 'idle-stopped', upSinceMs: undefined }),
      ]),
      now,
    );
    expect(doc.status).toBe('healthy');
    expect(doc.checks.services.whisper).toMatchObject({ status: 'healthy', phase: 'on-demand' });
    expect(doc.checks.services.phi).toMatchObject({ status: 'healthy', phase: 'idle-stopped' });
  });

  it('the Cascade standard document for a healthy stack', () => {
    const doc = stackHealth(
      snapshot([service({ name: 'db', phase: 'healthy', upSinceMs: now - 30_000, latencyMs: 3, restarts: 1 })], {
        'api->db': { state: 'closed', failuresMs: [] },
      }),
      now,
      'bootwave 0.1.0',
    );
    expect(doc).toEqual({
      status: 'healthy',
      timestamp: '2026-11-29T08:00:00.000Z',
      service: { name: 'demo', version: 'bootwave 0.1.0', uptime_seconds: 60 },
      checks: {
        self: { status: 'healthy', latency_ms: 0 },
        services: {
          db: { status: 'healthy', phase: 'healthy', latency_ms: 3, uptime_seconds: 30, restarts: 1 },
        },
        dependencies: { 'api->db': { status: 'healthy', breaker: 'closed', failures: 0 } },
      },
    });
  });

  it.each<[string, SupervisedService[], StackSnapshot['breakers'], string]>([
    ['a critical service down is unhealthy', [service({ name: 'db', phase: 'down' })], {}, 'unhealthy'],
    ['a crash loop is unhealthy', [service({ name: 'db', phase: 'crash-loop' })], {}, 'unhealthy'],
    [
      'a non-critical service down is degraded',
      [service({ name: 'db', phase: 'healthy' }), service({ name: 'x', phase: 'down', critical: false })],
      {},
      'degraded',
    ],
    ['a blocked service is degraded', [service({ name: 'api', phase: 'healthy', blockedBy: ['db'] })], {}, 'degraded'],
    ['a degraded service is degraded', [service({ name: 'api', phase: 'degraded' })], {}, 'degraded'],
    [
      'an open breaker is degraded',
      [service({ name: 'api', phase: 'healthy' })],
      { 'api->db': { state: 'open', failuresMs: [1], openedAtMs: 1 } },
      'degraded',
    ],
    ['a completed one-shot is healthy', [service({ name: 'migrate', phase: 'completed' })], {}, 'healthy'],
  ])('%s', (_name, services, breakers, status) => {
    expect(stackHealth(snapshot(services, breakers), now).status).toBe(status);
  });
});
