import { hostTaskQueue } from '../contract/task-queues';

/**
 * The task queue of a service's start, probe, stop and watch: its host's queue when it is placed on one, else
 * undefined (the workflow's own queue, the shared one). Every routing decision of bootwave is this function.
 */
export function serviceTaskQueue(service: { host?: string }, sharedQueue: string): string | undefined {
  return service.host === undefined ? undefined : hostTaskQueue(sharedQueue, service.host);
}
