import { WaveState } from '../../src/workflows/wave-state';
import { planFromText } from '../support/plan-text';

const plan = planFromText(`
name: w
waves: [{ name: first }, { name: only }]
services:
  ext: { wave: first, process: { command: [ext] } }
  a: { wave: only, process: { command: [a] } }
  b: { wave: only, process: { command: [b] }, dependsOn: [a] }
  c: { wave: only, critical: false, process: { command: [c] }, dependsOn: [{ service: ext, condition: healthy }] }
`);
const members = plan.services.filter((s) => s.wave === 'only');
const [a, b, c] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
const wave = (overrides: Partial<ConstructorParameters<typeof WaveState>[0]> = {}) =>
  new WaveState({
    services: members,
    known: { ext: 'probing' },
    subscribers: { later: ['a', 'c'] },
    startWatchers: { later: ['a'] },
    paused: false,
    ...overrides,
  });

describe('WaveState gates and slots', () => {
  it('releases a service once its dependencies meet their conditions, and records what it waits for', () => {
    const state = wave();
    expect(state.tryRelease(a)).toEqual({ verdict: 'open' });
    expect(state.tryRelease(b)).toBeUndefined();
    expect(state.status('b').waitingFor).toEqual(['a (healthy)']);
    state.update('a', { phase: 'probing' });
    expect(state.tryRelease(b)).toBeUndefined();
    state.update('a', { phase: 'healthy' });
    expect(state.tryRelease(b)).toEqual({ verdict: 'open' });
  });

  it('blocks a service whose required dependency failed, even while paused', () => {
    const state = wave({ paused: true });
    state.hear([{ service: 'ext', phase: 'failed' }]);
    expect(state.tryRelease(c)).toEqual({ verdict: 'blocked', reason: 'requires ext (healthy), which is failed' });
    expect(state.tryRelease(a)).toBeUndefined();
  });

  it('claims at most maxParallel slots, one per release, until one is given back', () => {
    const state = wave({ maxParallel: 1, known: { ext: 'healthy' } });
    expect(state.tryRelease(a)).toEqual({ verdict: 'open' });
    expect(state.tryRelease(c)).toBeUndefined();
    state.releaseSlot();
    expect(state.tryRelease(c)).toEqual({ verdict: 'open' });
  });

  it('keeps a settled phase heard from another wave: a late, older report does not undo it', () => {
    const state = wave();
    state.hear([{ service: 'ext', phase: 'healthy' }]);
    state.hear([{ service: 'ext', phase: 'probing' }]);
    expect(state.phaseOf('ext')).toBe('healthy');
  });
});

describe('WaveState notifications', () => {
  it('queues gate-relevant phases for the waves that wait on them, except the ones an activity already told', () => {
    const state = wave();
    state.update('a', { phase: 'starting' });
    state.update('a', { phase: 'probing' });
    state.update('c', { phase: 'probing' });
    state.update('a', { phase: 'healthy' }, ['later']);
    state.update('c', { phase: 'healthy' });
    expect(state.drainOutbox()).toEqual([
      [
        'later',
        [
          { service: 'a', phase: 'probing' },
          { service: 'c', phase: 'healthy' },
        ],
      ],
    ]);
    expect(state.outbox.size).toBe(0);
  });

  it('reports every changed status to the boot once, with its latest content', () => {
    const state = wave();
    state.update('a', { phase: 'starting' });
    state.update('a', { phase: 'probing', instance: 'pid 7' });
    expect(state.drainUnreported()).toEqual([
      { name: 'a', wave: 'only', critical: true, phase: 'probing', instance: 'pid 7' },
    ]);
    expect(state.drainUnreported()).toEqual([]);
  });
});

describe('WaveState failures and result', () => {
  it('a critical failure aborts the wave; what the abort skipped is not a failure of its own', () => {
    const state = wave();
    state.update('a', { phase: 'probing' });
    const abortWith = state.fail(a, { aborted: false, message: 'exited with code 1' }, 'rollback');
    expect(abortWith).toBe('critical service a failed: exited with code 1');
    expect(state.abort(abortWith!)).toBe(true);
    expect(state.abort('again')).toBe(false);
    expect(state.fail(b, { aborted: true, message: 'cancelled' }, 'rollback')).toBeUndefined();
    expect(state.status('b')).toMatchObject({
      phase: 'skipped',
      error: 'not ready: wave aborted (critical service a failed: exited with code 1)',
    });
    expect(state.result({ name: 'only', index: 0 })).toMatchObject({ phase: 'failed', criticalFailures: ['a'] });
  });

  it('a non-critical failure leaves the wave degraded and aborts nothing', () => {
    const state = wave();
    state.update('a', { phase: 'healthy' });
    state.update('b', { phase: 'healthy' });
    state.update('c', { phase: 'probing' });
    expect(state.fail(c, { aborted: false, message: 'unhealthy' }, 'rollback')).toBeUndefined();
    expect(state.result({ name: 'only', index: 0 })).toMatchObject({ phase: 'degraded', criticalFailures: [] });
  });

  it('an abort with no critical failure of its own (deadline, cancel) reads as aborted', () => {
    const state = wave();
    state.abort('wave only not ready after 1000 ms');
    state.fail(a, { aborted: true, message: 'cancelled' }, 'rollback');
    expect(state.result({ name: 'only', index: 0 }).phase).toBe('aborted');
  });

  it('a wave the boot aborted reads as aborted, whatever failed in it; one its own deadline aborted, as failed', () => {
    const byDeadline = wave();
    byDeadline.update('a', { phase: 'probing' });
    byDeadline.abort('wave only not ready after 1000 ms');
    byDeadline.fail(a, { aborted: true, message: 'cancelled' }, 'rollback');
    expect(byDeadline.result({ name: 'only', index: 0 })).toMatchObject({ phase: 'failed', criticalFailures: ['a'] });

    const byBoot = wave();
    byBoot.update('a', { phase: 'probing' });
    // Blocked by a dependency of another wave that the same cancel cut short, before this wave heard of it.
    byBoot.update('b', { phase: 'skipped', error: 'requires x (healthy), which is failed' });
    byBoot.abort('boot cancelled', true);
    byBoot.fail(a, { aborted: true, message: 'cancelled' }, 'rollback');
    expect(byBoot.status('a')).toMatchObject({ phase: 'failed', error: 'not ready: wave aborted (boot cancelled)' });
    expect(byBoot.result({ name: 'only', index: 0 })).toMatchObject({ phase: 'aborted', criticalFailures: [] });
  });
});
