import type { ProbeSpec, ProbeTiming } from '../../src/plan/types';
import { initialProgress, judgeProbe, stagesOf, type Judgement } from '../../src/probes/judge-probe';

const timing: ProbeTiming = {
  intervalMs: 1000,
  timeoutMs: 500,
  retries: 3,
  successThreshold: 1,
  startPeriodMs: 5000,
  startIntervalMs: 100,
};
const http: ProbeSpec = { kind: 'http', url: 'http://127.0.0.1:1/health', expectStatus: [] };
const staged: ProbeSpec = {
  kind: 'staged',
  stages: [
    { name: 'port', check: { kind: 'tcp', host: '127.0.0.1', port: 1 }, timeoutMs: 2000, critical: true },
    { name: 'full', check: http, timeoutMs: 1000, critical: false },
  ],
};
const ok = { ok: true, output: 'HTTP 200' };
const fail = { ok: false, output: 'HTTP 503' };

/** Feeds results at the given times (ms after start) and returns the last judgement. */
function run(
  spec: ProbeSpec,
  results: [number, { ok: boolean; output: string }][],
  overrides: Partial<ProbeTiming> = {},
): Judgement {
  const stages = stagesOf(spec);
  let judgement: Judgement = { progress: initialProgress(stages, 0), verdict: 'pending', delayMs: 0 };
  for (const [at, result] of results)
    judgement = judgeProbe(judgement.progress, result, stages, { ...timing, ...overrides }, at);
  return judgement;
}

describe('judgeProbe', () => {
  it('passes on the first success with the default threshold', () => {
    expect(run(http, [[0, ok]])).toMatchObject({
      verdict: 'healthy',
      progress: { attempts: 1, lastOutput: 'HTTP 200' },
    });
  });

  it('probes at the start interval during the start period and at the interval after it', () => {
    expect(run(http, [[100, fail]]).delayMs).toBe(100);
    expect(run(http, [[6000, fail]]).delayMs).toBe(1000);
  });

  it('does not count failures inside the start period', () => {
    const judgement = run(http, [
      [0, fail],
      [100, fail],
      [200, fail],
      [300, fail],
    ]);
    expect(judgement).toMatchObject({ verdict: 'pending', progress: { consecutiveFailures: 0, attempts: 4 } });
  });

  it('fails after `retries` consecutive failures once the start period is over', () => {
    const judgement = run(http, [
      [5000, fail],
      [6000, fail],
      [7000, fail],
    ]);
    expect(judgement).toMatchObject({ verdict: 'failed', reason: 'failed 3 times in a row: HTTP 503' });
  });

  it('a success resets the failure count', () => {
    expect(
      run(
        http,
        [
          [5000, fail],
          [6000, fail],
          [7000, ok],
        ],
        { successThreshold: 2 },
      ).progress.consecutiveFailures,
    ).toBe(0);
  });

  it('needs `successThreshold` consecutive successes', () => {
    expect(run(http, [[0, ok]], { successThreshold: 2 }).verdict).toBe('pending');
    expect(
      run(
        http,
        [
          [0, ok],
          [100, fail],
          [200, ok],
        ],
        { successThreshold: 2 },
      ).verdict,
    ).toBe('pending');
    expect(
      run(
        http,
        [
          [0, ok],
          [100, ok],
        ],
        { successThreshold: 2 },
      ).verdict,
    ).toBe('healthy');
  });

  it('moves to the next stage at once when a stage passes', () => {
    const judgement = run(staged, [[0, ok]]);
    expect(judgement).toMatchObject({
      verdict: 'pending',
      delayMs: 0,
      progress: { stage: 1, stageName: 'full', stageStartedAtMs: 0 },
    });
  });

  it('fails on a critical stage that spends its budget, naming the stage', () => {
    expect(
      run(staged, [
        [0, fail],
        [1000, fail],
        [2000, fail],
      ]),
    ).toMatchObject({
      verdict: 'failed',
      reason: 'stage port not passing after 2000 ms: HTTP 503',
    });
  });

  it('a non-critical stage that spends its budget leaves the service degraded', () => {
    const judgement = run(staged, [
      [0, ok],
      [500, fail],
      [1000, fail],
    ]);
    expect(judgement).toMatchObject({ verdict: 'degraded', progress: { degraded: ['full'] } });
  });

  it('a staged check passing every stage is healthy', () => {
    expect(
      run(staged, [
        [0, ok],
        [10, ok],
      ]).verdict,
    ).toBe('healthy');
  });
});
