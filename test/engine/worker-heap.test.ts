import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { heapGrowingFlag, tuneWorkerHeap } from '../../src/engine/worker-heap';

/** Runs `body` in a new thread (an isolate created now, as the SDK's workflow thread is) and returns its answer. */
const inThread = (body: string) =>
  new Promise<number>((resolve, reject) => {
    const thread = new Worker(
      `const v8 = require('node:v8');
       ${body}`,
      { eval: true },
    );
    thread.once('message', (mib: number) => void thread.terminate().then(() => resolve(mib)));
    thread.once('error', reject);
  });

/** A thread that churns through short-lived objects, as a busy workflow thread does, and reports its new space. */
const churningThreadNewSpaceMiB = () =>
  inThread(`let kept = [];
    for (let i = 0; i < 3e6; i++) { kept.push({ i, text: 'x' + i }); if (kept.length > 2e5) kept = []; }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    require('node:worker_threads').parentPort.postMessage(space.space_size / 1048576);`);

/** A thread that keeps ≈ 40 MiB alive while replacing it, as a boot's activities and histories come and go. */
const replacingThreadPeakHeapMiB = () =>
  inThread(`let live = []; let peak = 0;
    for (let round = 0; round < 300; round++) {
      const batch = [];
      for (let i = 0; i < 5000; i++) batch.push({ i, text: 'x'.repeat(40) + i, pair: [i, i + 1] });
      live.push(batch);
      if (live.length > 50) live.shift();
      peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
    }
    require('node:worker_threads').parentPort.postMessage(peak / 1048576);`);

describe('tuneWorkerHeap', () => {
  it('keeps the young generation of a thread started after it at 16 MiB however much it churns', async () => {
    tuneWorkerHeap();
    // 16 MiB, the two semi-spaces; a CI run once read 18, a page or so V8 held beyond them at that moment. Uncapped,
    // the same thread's young generation grows to 128 MiB on the machines this runs on.
    expect(await churningThreadNewSpaceMiB()).toBeLessThanOrEqual(24);
  });

  it("keeps a heap that replaces what it holds smaller than V8's own growth lets it be", async () => {
    // 0 is V8's own choice; measured here, the capped peak was 0.46–0.81 of it over 20 pairs of runs.
    setFlagsFromString(`${heapGrowingFlag}=0`);
    const ownChoice = (await replacingThreadPeakHeapMiB()) + (await replacingThreadPeakHeapMiB());
    tuneWorkerHeap();
    const capped = (await replacingThreadPeakHeapMiB()) + (await replacingThreadPeakHeapMiB());
    expect(capped).toBeLessThan(ownChoice * 0.9);
  });
});
