import { bootMetrics } from '../../bench/boot-metrics';
import { loadPlanDocument } from '../../src/plan/load-plan-document';
import type { BootStatus } from '../../src/contract/status';

/** Wave 0: db (slow) and cache; wave 1: api needs cache only. Times in ms after the request at 0. */
const plan = (() => {
  const result = loadPlanDocument(
    {
      name: 'metrics',
      waves: [{ name: 'data' }, { name: 'apps' }],
      services: {
        db: { wave: 0, process: { command: ['x'] } },
        cache: { wave: 0, process: { command: ['x'] } },
        api: { wave: 1, process: { command: ['x'] }, dependsOn: ['cache'] },
      },
    },
    { file: 'plan.yaml' },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
})();

const boot = (times: Record<string, [startedAtMs: number, readyAtMs: number]>) =>
  ({
    services: Object.entries(times).map(([name, [startedAtMs, readyAtMs]]) => ({ name, startedAtMs, readyAtMs })),
  }) as unknown as BootStatus;

describe('bootMetrics', () => {
  it('dag: measures from the dependency being ready, against the dependency floor', () => {
    // api starts 30 ms after cache is ready, without waiting for db.
    const m = bootMetrics(plan, boot({ db: [10, 1010], cache: [10, 110], api: [140, 340] }), 0, 'dag');
    expect(m).toMatchObject({ totalMs: 1010, floorMs: 1000, barrierFloorMs: 1200, overheadMs: 10 });
    expect([m.depLatencyMedianMs, m.handOffMedianMs]).toEqual([30, 30]);
  });

  it('waves: the hand-off is measured from the previous wave being done, the overhead against the barrier floor', () => {
    // api waits for db too (the barrier), then starts 40 ms after db is ready.
    const m = bootMetrics(plan, boot({ db: [10, 1010], cache: [10, 110], api: [1050, 1250] }), 0, 'waves');
    expect(m).toMatchObject({ totalMs: 1250, floorMs: 1000, barrierFloorMs: 1200, overheadMs: 50 });
    expect([m.depLatencyMedianMs, m.handOffMedianMs]).toEqual([940, 40]);
  });
});
