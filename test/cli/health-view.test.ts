import { healthLines } from '../../src/cli/health-view';
import type { SupervisedService } from '../../src/contract/supervision';
import { stackHealth } from '../../src/supervision/stack-health';

const now = Date.UTC(2026, 10, 30, 8, 0, 0);
const service = (patch: Partial<SupervisedService> & Pick<SupervisedService, 'name' | 'phase'>): SupervisedService => ({
  critical: true,
  sinceMs: now - 30_000,
  upSinceMs: now - 30_000,
  restarts: 0,
  recentRestartsMs: [],
  blockedBy: [],
  ...patch,
});

describe('bootwave health as text', () => {
  it('shows a latency where one was measured (not "null ms" where none was), and a one-shot as completed', () => {
    const doc = stackHealth(
      {
        plan: 'demo',
        supervisingSinceMs: now - 60_000,
        services: [
          service({ name: 'db', phase: 'healthy', latencyMs: 3, restarts: 1 }),
          service({ name: 'migrate', phase: 'completed' }),
          service({ name: 'cache', phase: 'healthy', upSinceMs: now - 12_608_000 }),
        ],
        breakers: { 'api->db': { state: 'closed', failuresMs: [] } },
      },
      now,
      'bootwave 0.1.0',
    );
    expect(healthLines('demo', doc)).toEqual([
      'demo: healthy',
      '  db       healthy    up 30s  1 restart  3 ms',
      '  migrate  completed',
      '  cache    healthy    up 3h30m8s  0 restarts',
      '  api->db  breaker closed',
    ]);
  });

  it('shows a service that is not up by its phase, with its restarts and why', () => {
    const doc = stackHealth(
      {
        plan: 'demo',
        supervisingSinceMs: now - 60_000,
        services: [
          service({ name: 'api', phase: 'crash-loop', restarts: 5, upSinceMs: undefined, message: 'exited 1' }),
          service({ name: 'web', phase: 'healthy', critical: false, blockedBy: ['api'], latencyMs: 4 }),
          service({ name: 'docs', phase: 'on-demand', upSinceMs: undefined }),
        ],
        breakers: {},
      },
      now,
    );
    expect(healthLines('demo', doc)).toEqual([
      'demo: unhealthy',
      '  api   unhealthy  crash-loop  5 restarts  exited 1',
      '  web   degraded   up 30s  0 restarts  4 ms  blocked by api',
      '  docs  healthy    on-demand  0 restarts',
    ]);
  });
});
