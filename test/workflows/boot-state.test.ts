import type { WaveResult } from '../../src/contract/status';
import { defaultBootOptions, type BootOptions, type FailurePolicy } from '../../src/plan/boot-input';
import { BootState, subscribersOf } from '../../src/workflows/boot-state';
import { planFromText, threeServicePlan } from '../support/plan-text';

const plan = planFromText(threeServicePlan);
const boot = (options: Partial<BootOptions> = {}) =>
  new BootState(plan, { ...defaultBootOptions, ...options }, { bootId: 'run-1', workflowId: 'bootwave-shop' }, 1000);
const waveResult = (index: number, phases: Record<string, string>, criticalFailures: string[] = []): WaveResult => ({
  name: plan.waves[index]!.name,
  index,
  phase: criticalFailures.length > 0 ? 'failed' : 'succeeded',
  services: Object.entries(phases).map(([name, phase]) => ({
    name,
    wave: plan.waves[index]!.name,
    critical: true,
    phase: phase as never,
    ...(phase === 'failed' ? { error: 'exited with code 1' } : {}),
  })),
  criticalFailures,
});

describe('BootState controls', () => {
  it('accepts pause, resume and cancel while running, and says whether each changed anything', () => {
    const state = boot();
    expect(state.refusal('pause')).toBeUndefined();
    expect([state.apply('pause'), state.apply('pause'), state.apply('resume')]).toEqual([true, false, true]);
    expect(state.apply('cancel', 'operator')).toBe(true);
    expect(state.apply('cancel')).toBe(false);
    expect(state.controlState()).toEqual({ phase: 'running', paused: false, cancelRequested: true });
    expect(state.status.failure).toBe('cancelled: operator');
  });

  it.each([
    ['succeeded', 'pause', 'the boot has already succeeded'],
    ['rolled-back', 'cancel', 'the boot has already rolled-back'],
    ['rolling-back', 'resume', 'the boot is rolling back'],
  ] as const)('refuses controls once the boot is %s', (phase, control, refusal) => {
    const state = boot();
    state.status.phase = phase;
    expect(state.refusal(control)).toBe(refusal);
  });

  it('refuses pause and resume once a cancel was requested, but not a second cancel', () => {
    const state = boot();
    state.apply('cancel');
    expect([state.refusal('pause'), state.refusal('resume'), state.refusal('cancel')]).toEqual([
      'the boot is being cancelled',
      'the boot is being cancelled',
      undefined,
    ]);
  });
});

describe('BootState results and settlement', () => {
  it('hears live progress of a running wave, and the wave result wins over late progress', () => {
    const state = boot();
    state.hearProgress(0, [{ name: 'db', wave: 'data', critical: true, phase: 'probing' }]);
    expect(state.snapshot().services.find((s) => s.name === 'db')?.phase).toBe('probing');
    state.waveStarted(0);
    state.absorb(waveResult(0, { db: 'healthy', migrate: 'completed' }));
    state.hearProgress(0, [{ name: 'db', wave: 'data', critical: true, phase: 'probing' }]);
    expect(state.snapshot().services.find((s) => s.name === 'db')?.phase).toBe('healthy');
  });

  it('tells the next wave the phases of its dependencies in other waves only', () => {
    const state = boot();
    state.absorb(waveResult(0, { db: 'healthy', migrate: 'completed' }));
    expect(state.waveMembers(1)).toEqual({
      services: [plan.services.find((s) => s.name === 'api')],
      known: { db: 'healthy', migrate: 'completed' },
    });
  });

  it.each<[FailurePolicy, string | undefined]>([
    ['rollback', 'critical service migrate failed: exited with code 1'],
    ['halt', 'critical service migrate failed: exited with code 1'],
    ['continue', undefined],
  ])('a critical failure under %s aborts the other waves with: %s', (onFailure, abortWith) => {
    const state = boot({ onFailure });
    expect(state.absorb(waveResult(0, { db: 'healthy', migrate: 'failed' }, ['migrate']))).toBe(abortWith);
    expect(state.status.failure).toBe('critical service migrate failed: exited with code 1');
    expect(state.mustStop()).toBe(onFailure !== 'continue');
  });

  it.each<[string, Partial<BootOptions>, (s: BootState) => void, object]>([
    [
      'all ready',
      {},
      (s) => s.absorb(waveResult(0, { db: 'healthy', migrate: 'completed', api: 'healthy' })),
      { phase: 'succeeded' },
    ],
    [
      'one degraded',
      {},
      (s) => s.absorb(waveResult(0, { db: 'degraded', migrate: 'completed', api: 'healthy' })),
      { phase: 'degraded' },
    ],
    [
      'failed, continue',
      { onFailure: 'continue' },
      (s) => s.absorb(waveResult(0, { migrate: 'failed' }, ['migrate'])),
      { phase: 'degraded' },
    ],
    [
      'failed, halt',
      { onFailure: 'halt' },
      (s) => s.absorb(waveResult(0, { migrate: 'failed' }, ['migrate'])),
      { phase: 'halted' },
    ],
    ['cancelled, halt', { onFailure: 'halt' }, (s) => s.apply('cancel'), { phase: 'cancelled' }],
    ['cancelled, continue', { onFailure: 'continue' }, (s) => s.apply('cancel'), { phase: 'cancelled' }],
    ['failed, rollback', {}, (s) => s.absorb(waveResult(0, { migrate: 'failed' }, ['migrate'])), { rollback: true }],
  ])('settles a boot with %s', (_case, options, act, settlement) => {
    const state = boot(options);
    act(state);
    expect(state.settlement()).toEqual(settlement);
  });

  it('marks what never ran once the boot stops, and rolls back newest first', () => {
    const state = boot();
    state.absorb({
      ...waveResult(0, {}, ['migrate']),
      services: [
        { name: 'db', wave: 'data', critical: true, phase: 'healthy', startRequested: true, startedAtMs: 10 },
        {
          name: 'migrate',
          wave: 'data',
          critical: true,
          phase: 'failed',
          startRequested: true,
          startedAtMs: 20,
          error: 'exit 1',
        },
      ],
    });
    state.markUnstarted();
    expect(state.snapshot().waves.map((w) => w.phase)).toEqual(['failed', 'aborted']);
    expect(state.snapshot().services.find((s) => s.name === 'api')).toMatchObject({
      phase: 'skipped',
      error: 'critical service migrate failed: exit 1',
    });
    expect(state.rollbackOrder().map((r) => r.spec.name)).toEqual(['migrate', 'db']);
    expect([state.afterRollback(true), state.afterRollback(false)]).toEqual(['rolled-back', 'failed']);
    expect(state.status.failure).toBe('critical service migrate failed: exit 1; rollback incomplete');
  });
});

describe('subscribersOf', () => {
  it('names the later waves that wait on a wave’s services, and those that wait only for their start', () => {
    const started = planFromText(`
name: p
waves: [{ name: a }, { name: b }]
services:
  x: { wave: a, process: { command: [x] } }
  y: { wave: a, process: { command: [y] } }
  z: { wave: b, process: { command: [z] }, dependsOn: [{ service: x, condition: started }, { service: y }] }
`);
    expect(subscribersOf(started, 0, (i) => `wave-${i}`)).toEqual({
      all: { 'wave-1': ['x', 'y'] },
      onStart: { 'wave-1': ['x'] },
    });
    expect(subscribersOf(started, 1, (i) => `wave-${i}`)).toEqual({ all: {}, onStart: {} });
  });
});
