import { getEventListeners } from 'node:events';
import { abortableSleep } from '../../src/activities/abortable-sleep';

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
