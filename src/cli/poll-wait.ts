/**
 * Waits `ms`, or less when `settled` settles first: a poll loop's pause. The timer is cleared either way, so a
 * command that is done exits at once instead of when the last pause would have ended.
 */
export async function pauseUnless(settled: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([settled.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
