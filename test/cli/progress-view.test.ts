import { renderFrame } from '../../src/cli/progress-view';
import type { LiveBootStatus } from '../../src/client/boot-client';

const startedAtMs = Date.UTC(2026, 10, 30, 8, 0, 0);

describe('the boot frame', () => {
  it('says a wave lost its services to the rollback, and a wave the cancel cut short was aborted', () => {
    const status: LiveBootStatus = {
      plan: 'demo',
      bootId: 'b',
      workflowId: 'bootwave-demo',
      strategy: 'dag',
      onFailure: 'rollback',
      phase: 'cancelled',
      paused: false,
      cancelRequested: true,
      startedAtMs,
      finishedAtMs: startedAtMs + 9_000,
      waves: [
        { name: 'data', index: 0, phase: 'succeeded', workflowId: 'bootwave-demo/wave-0-data' },
        { name: 'agents', index: 1, phase: 'aborted', workflowId: 'bootwave-demo/wave-1-agents' },
      ],
      services: [
        { name: 'db', wave: 'data', critical: true, phase: 'rolled-back', startedAtMs, readyAtMs: startedAtMs + 800 },
        {
          name: 'agent',
          wave: 'agents',
          critical: true,
          phase: 'skipped',
          error: 'not ready: wave aborted (boot cancelled)',
        },
      ],
    };
    expect(renderFrame(status, startedAtMs + 10_000).split('\n')).toEqual([
      'boot bootwave-demo · dag · on failure rollback · cancelled',
      '  wave 0 data · succeeded, rolled back',
      expect.stringMatching(/^ {4}\S+ db +rolled-back +0\.8s/),
      '  wave 1 agents · aborted',
      expect.stringMatching(/^ {4}\S+ agent +skipped .*not ready: wave aborted \(boot cancelled\)$/),
    ]);
  });
});
