/**
 * Task queue names shared by workers, clients and workflows. A host is a task queue: `bootwave worker --host pc2`
 * polls the shared queue (workflows, and activities any worker can run) and `<queue>@pc2` (the start, probe, stop
 * and watch of every service placed on pc2). `@` never occurs in a plan's host names (DNS labels), so a host's
 * queue is never mistaken for another shared queue.
 */
export function hostTaskQueue(sharedQueue: string, host: string): string {
  return `${sharedQueue}@${host}`;
}

/** The host a queue belongs to, or undefined for a shared queue. */
export function hostOfTaskQueue(queue: string): string | undefined {
  const at = queue.lastIndexOf('@');
  return at < 0 ? undefined : queue.slice(at + 1);
}
