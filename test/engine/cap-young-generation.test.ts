import { Worker } from 'node:worker_threads';
import { capYoungGeneration } from '../../src/engine/cap-young-generation';

/** A thread that churns through short-lived objects, as a busy workflow thread does, and reports its new space. */
const churningThreadNewSpaceMiB = () =>
  new Promise<number>((resolve, reject) => {
    const thread = new Worker(
      `const v8 = require('node:v8');
       let kept = [];
       for (let i = 0; i < 3e6; i++) { kept.push({ i, text: 'x' + i }); if (kept.length > 2e5) kept = []; }
       const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
       require('node:worker_threads').parentPort.postMessage(space.space_size / 1048576);`,
      { eval: true },
    );
    thread.once('message', (mib: number) => void thread.terminate().then(() => resolve(mib)));
    thread.once('error', reject);
  });

describe('capYoungGeneration', () => {
  it('keeps the young generation of a thread started after it at 16 MiB however much it churns', async () => {
    capYoungGeneration();
    // 16 MiB, the two semi-spaces; a CI run once read 18, a page or so V8 held beyond them at that moment. Uncapped,
    // the same thread's young generation grows to 128 MiB on the machines this runs on.
    expect(await churningThreadNewSpaceMiB()).toBeLessThanOrEqual(24);
  });
});
