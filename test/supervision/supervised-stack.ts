import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BootClient } from '../../src/client/boot-client';
import { stackWorkflowId, type StackStatus, type SupervisedService } from '../../src/contract/supervision';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { stateRoot } from '../../src/drivers/process/process-state';
import { defaultSupervision } from '../../src/plan/defaults';
import type { ResolvedPlan, SupervisionSpec } from '../../src/plan/types';
import { waitFor } from '../support/wait-for';

/** Helpers the supervision end-to-end tests share: a supervised stack, its services, and what ran in it. */

export const countLines = (file: string): number => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

export const serviceOf = (status: StackStatus, name: string): SupervisedService => {
  const found = status.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in the stack status`);
  return found;
};

/** `up` with the default IDs, once the boot succeeded and the stack supervises. */
export async function supervising(
  client: BootClient,
  plan: ResolvedPlan,
  options: Parameters<BootClient['up']>[1] = {},
): Promise<Awaited<ReturnType<BootClient['up']>>['stack']> {
  const { stack, boot } = await client.up(plan, options);
  const booted = await boot.result();
  if (booted.phase !== 'succeeded') throw new Error(`boot of ${plan.name} ${booted.phase}: ${booted.failure ?? ''}`);
  await waitFor('supervising', async () => ((await stack.status()).phase === 'supervising' ? true : undefined));
  return stack;
}

/** Polls the stack until `test` picks something from its status; a timeout shows the last status seen. */
export async function untilStack<T>(
  stack: { status(): Promise<StackStatus> },
  what: string,
  test: (status: StackStatus) => T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  let last: StackStatus | undefined;
  try {
    return await waitFor(
      what,
      async () => {
        last = await stack.status();
        return test(last);
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last?.services)}`);
  }
}

/** The pid of a process service's own process (the child of bootwave's `sh` supervisor). */
export function servicePid(plan: ResolvedPlan, service: string): number {
  const record = JSON.parse(
    readFileSync(join(stateRoot(), 'processes', plan.name, service, 'process.json'), 'utf8'),
  ) as { pid: number };
  return Number(readFileSync(`/proc/${record.pid}/task/${record.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
}

/**
 * The same, once it can be read: just after a boot the record may still name a supervisor that an earlier start
 * attempt replaced.
 */
export function currentPid(plan: ResolvedPlan, service: string): Promise<number> {
  return waitFor(`a pid for ${service}`, async () => servicePid(plan, service), 10_000);
}

/** `kill -9` of a process service. */
export async function kill9(plan: ResolvedPlan, service: string): Promise<void> {
  process.kill(await currentPid(plan, service), 'SIGKILL');
}

/** The activity types a workflow run scheduled, in order (its history). */
export async function scheduledActivities(client: BootClient, workflowId: string): Promise<string[]> {
  const history = await client.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const type = event.activityTaskScheduledEventAttributes?.activityType?.name;
    return type ? [type] : [];
  });
}

export async function stopProcesses(plan: ResolvedPlan): Promise<void> {
  for (const service of plan.services) await new ProcessDriver().stop({ plan: plan.name, bootId: '' }, service);
}

/** The plan with supervision settings per service (defaults otherwise, with a short first backoff). */
export function withSupervision(
  plan: ResolvedPlan,
  settings: Record<string, Partial<SupervisionSpec>> = {},
): ResolvedPlan {
  return {
    ...plan,
    services: plan.services.map((service) => ({
      ...service,
      supervision: {
        ...defaultSupervision,
        backoff: { initialMs: 200, maxMs: 2000, factor: 2 },
        ...settings[service.name],
      },
    })),
  };
}

/** A test that failed half-way leaves no stack behind for the next run to find under the same ID. */
export async function endStack(client: BootClient, plan: ResolvedPlan): Promise<void> {
  await client.client.workflow
    .getHandle(stackWorkflowId(plan.name))
    .terminate('test over')
    .catch(() => undefined);
}
