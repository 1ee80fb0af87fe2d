/** What `status` shows and a wave's deadline fails with while no worker of a host took a service's start. */
export function waitingForWorker(hosts: readonly string[]): string {
  const unique = [...new Set(hosts)].sort();
  return unique.length === 1 ? `waiting for a worker on ${unique[0]}` : `waiting for workers on ${unique.join(', ')}`;
}
