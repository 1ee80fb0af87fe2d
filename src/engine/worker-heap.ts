import { setFlagsFromString } from 'node:v8';

/** Node's flag that sizes a thread's young generation (each of its two semi-spaces, in MiB). */
export const youngGenerationFlag = '--max-semi-space-size';
/** The flag capping a thread's young generation at 16 MiB, as `scripts/bootwave` and the worker image pass it. */
export const youngGenerationCap = `${youngGenerationFlag}=8`;
/** V8's flag for how far the old generation may grow past what its last full collection kept, in percent. */
export const heapGrowingFlag = '--heap-growing-percent';
/** At most 1.5× what the last full collection kept (V8 itself picks up to 4× when collecting looks cheap). */
export const heapGrowingCap = `${heapGrowingFlag}=50`;

/**
 * Sizes the worker's V8 heaps for a process that runs for months beside the services it boots (BENCHMARKS.md):
 * - The young generation of the isolates created after this (the SDK's workflow thread) is capped at 16 MiB, two
 *   8 MiB semi-spaces. Left to itself, V8 sizes it from the machine's memory (up to 128 MiB on 24 GiB) and a busy
 *   boot grows it there though little of it survives. Measured, the cap cost no speed. The main thread's is capped
 *   only by the flag on Node's command line (`scripts/bootwave` and the worker image pass it).
 * - The old generation of every isolate, the main thread's too (V8 reads this at each collection), grows by at most
 *   half of what survived the last full collection. A 1,000-service `dag` boot otherwise let it grow with garbage:
 *   the worker peaked at 328 MiB (median) against 293 with the cap, for a boot a tenth or so slower.
 * A flag given on Node's command line or in NODE_OPTIONS is left as it is (`--heap-growing-percent=0` restores V8's
 * own choice).
 */
export function tuneWorkerHeap(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
  for (const [flag, setting] of [
    [youngGenerationFlag, youngGenerationCap],
    [heapGrowingFlag, heapGrowingCap],
  ] as const)
    if (!given.some((arg) => arg.includes(flag))) setFlagsFromString(setting);
}
