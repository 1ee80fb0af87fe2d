import { getEventListeners } from 'node:events';
import { Alarm, abortableSleep } from '../../src/activities/abortable-sleep';

describe('abortableSleep', () => {
  it('resolves after its time and leaves no listener on the signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 5; i++) await abortableSleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the abort reason at once, also when already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(abortableSleep(60_000, controller.signal)).rejects.toBe(reason);
  });
});

describe('Alarm', () => {
  it('ends the current sleep when rung, and leaves no listener behind', async () => {
    const controller = new AbortController();
    const alarm = new Alarm();
    const sleeping = alarm.sleep(60_000, controller.signal);
    alarm.ring();
    await sleeping;
    for (let i = 0; i < 5; i++) await alarm.sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('keeps a ring between two sleeps for the next one, once', async () => {
    const controller = new AbortController();
    const alarm = new Alarm();
    alarm.ring();
    await alarm.sleep(60_000, controller.signal);
    const second = alarm.sleep(60_000, controller.signal);
    const outcome = await Promise.race([
      second.then(() => 'woke'),
      new Promise((r) => setTimeout(() => r('slept'), 50)),
    ]);
    expect(outcome).toBe('slept');
    controller.abort(new Error('cancelled'));
    await expect(second).rejects.toThrow('cancelled');
  });
});
