/**
 * Polls `probe` every 100 ms until it returns a value (errors count as "not yet"), or fails after `timeoutMs`
 * naming the last error seen, so a timeout in CI says what was in the way.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const value = await probe().catch((error: unknown) => {
      lastError = error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const cause =
        lastError === undefined ? '' : ` (last error: ${String((lastError as Error)?.message ?? lastError)})`;
      throw new Error(`${what} not reached after ${timeoutMs} ms${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
