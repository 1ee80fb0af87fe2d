import { bootListLines } from '../../src/cli/boot-list-view';
import type { BootSummary } from '../../src/client/boot-client';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 8, minute, 0));
const boot = (patch: Partial<BootSummary> & Pick<BootSummary, 'workflowId' | 'status'>): BootSummary => ({
  runId: 'r',
  plan: 'demo',
  startTime: at(0),
  ...patch,
});

describe('bootwave list as text', () => {
  it("shows the boot's own phase, or the server's word for an execution that never finished, in aligned columns", () => {
    const lines = bootListLines([
      boot({ workflowId: 'bootwave-demo', status: 'RUNNING', phase: 'rolling-back' }),
      boot({ workflowId: 'bootwave-demo', status: 'COMPLETED', phase: 'degraded', closeTime: at(1) }),
      boot({ workflowId: 'bootwave-kosmos', status: 'TERMINATED', phase: 'running', closeTime: at(2), plan: 'kosmos' }),
      boot({ workflowId: 'bootwave-x', status: 'TIMED_OUT', closeTime: at(3), plan: undefined }),
      boot({ workflowId: 'bootwave-y', status: 'COMPLETED', closeTime: at(4) }),
    ]);
    expect(lines).toEqual([
      'bootwave-demo    rolling-back  started 2026-11-30T08:00:00.000Z                                  demo',
      'bootwave-demo    degraded      started 2026-11-30T08:00:00.000Z  ended 2026-11-30T08:01:00.000Z  demo',
      'bootwave-kosmos  terminated    started 2026-11-30T08:00:00.000Z  ended 2026-11-30T08:02:00.000Z  kosmos',
      'bootwave-x       timed out     started 2026-11-30T08:00:00.000Z  ended 2026-11-30T08:03:00.000Z',
      'bootwave-y       completed     started 2026-11-30T08:00:00.000Z  ended 2026-11-30T08:04:00.000Z  demo',
    ]);
  });

  it('prints nothing for no boots', () => {
    expect(bootListLines([])).toEqual([]);
  });
});
