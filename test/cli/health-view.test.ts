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
  it('shows a latency where one was measured, and nothing (not "null ms") where none was', () => {
    const doc = stackHealth(
      {
        plan: 'demo',
        supervisingSinceMs: now - 60_000,
        services: [
          service({ name: 'db', phase: 'healthy', latencyMs: 3, restarts: 1 }),
          service({ name: 'migrate', phase: 'completed' }),
        ],
        breakers: { 'api->db': { state: 'closed', failuresMs: [] } },
      },
      now,
      'bootwave 0.1.0',
    );
    expect(healthLines('demo', doc)).toEqual([
      'demo: healthy',
      '  db       healthy    up 30s  1 restart  3 ms',
      '  migrate  healthy    up 30s  0 restarts',
      '  api->db  breaker closed',
    ]);
  });
});
