import type { StackStatus, SupervisedService } from '../../src/contract/supervision';
import { describeSupervised, renderSupervision } from '../../src/cli/supervision-view';

const now = Date.UTC(2026, 10, 29, 8, 0, 0);
const service = (patch: Partial<SupervisedService> & Pick<SupervisedService, 'name' | 'phase'>): SupervisedService => ({
  critical: true,
  sinceMs: now - 5000,
  restarts: 0,
  recentRestartsMs: [],
  blockedBy: [],
  ...patch,
});

describe('describeSupervised', () => {
  it.each<[SupervisedService, string]>([
    [service({ name: 'a', phase: 'healthy' }), 'healthy'],
    [service({ name: 'a', phase: 'healthy', blockedBy: ['db'] }), 'healthy, blocked by db'],
    [
      service({ name: 'a', phase: 'unhealthy', message: 'HTTP 503; restart: no' }),
      'unhealthy since 07:59:55: HTTP 503; restart: no',
    ],
    [service({ name: 'a', phase: 'restarting', restarts: 1, restartAtMs: now + 2000 }), 'restarting (2) in 2s'],
    [service({ name: 'a', phase: 'restarting', restarts: 2 }), 'restarting (2)'],
    [
      service({ name: 'a', phase: 'crash-loop', message: 'crash loop (5 restarts in 1m, last exit 1: boom)' }),
      'failed: crash loop (5 restarts in 1m, last exit 1: boom)',
    ],
    [service({ name: 'a', phase: 'stopped', blockedBy: ['db'] }), 'stopped, blocked by db'],
  ])('%o', (state, text) => {
    expect(describeSupervised(state, now)).toBe(text);
  });
});

describe('renderSupervision', () => {
  it('a line per service and the breakers that are not closed', () => {
    const status: StackStatus = {
      plan: 'demo',
      workflowId: 'bootwave-stack-demo',
      phase: 'supervising',
      bootWorkflowId: 'bootwave-demo',
      supervisingSinceMs: now - 60_000,
      services: [
        service({ name: 'db', phase: 'healthy', upSinceMs: now - 30_000, restarts: 1, latencyMs: 3 }),
        service({ name: 'api', phase: 'healthy', upSinceMs: now - 60_000, blockedBy: ['db'] }),
      ],
      breakers: { 'api->db': { state: 'open', failuresMs: [1, 2, 3], openedAtMs: 3 } },
      runs: 1,
      historyLength: 10,
    };
    expect(renderSupervision(status, now)).toBe(
      [
        'supervised since 07:59:00 · bootwave-stack-demo (run 2) · stack degraded',
        '  db   healthy  (1 restart, up 30s, 3 ms)',
        '  api  healthy, blocked by db  (up 1m)',
        '  breaker api->db open (3 failures)',
      ].join('\n'),
    );
  });
});
