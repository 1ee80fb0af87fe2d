import { setFlagsFromString } from 'node:v8';

/** Node's flag that sizes a thread's young generation (each of its two semi-spaces, in MiB). */
export const youngGenerationFlag = '--max-semi-space-size';
/** The flag capping a thread's young generation at 16 MiB, as `scripts/bootwave` and the worker image pass it. */
export const youngGenerationCap = `${youngGenerationFlag}=8`;

/**
 * Caps the young generation of the V8 isolates created after it (the SDK's workflow thread) at 16 MiB: two 8 MiB
 * semi-spaces. Left to itself, V8 sizes it from the machine's memory (up to 128 MiB on 24 GiB) and a busy boot
 * grows it there though little of it survives: at 1,000 services the workflow thread's heap was 190 MiB with
 * 62–85 MiB in use. Measured, the cap cost no speed (BENCHMARKS.md). The main thread's is capped only by the flag on
 * Node's command line (`scripts/bootwave` and the worker image pass it); a flag given there is left as it is.
 */
export function capYoungGeneration(): void {
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes(youngGenerationFlag))) return;
  setFlagsFromString(youngGenerationCap);
}
