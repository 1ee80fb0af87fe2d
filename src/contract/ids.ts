/**
 * Deterministic workflow and activity IDs: a client, a workflow and an activity each find a boot, its waves and a
 * service's live probe from the plan's name alone.
 */

/** The ID of a plan's boot: one boot of a plan at a time unless the caller names another. */
export function bootWorkflowId(planName: string): string {
  return `bootwave-${planName}`;
}

/** One stack workflow per plan: a second `up` or an update finds it by this ID. */
export function stackWorkflowId(planName: string): string {
  return `bootwave-stack-${planName}`;
}

/** A boot's wave children are found from the boot's own ID. */
export function waveWorkflowId(bootWorkflowId: string, wave: { index: number; name: string }): string {
  return `${bootWorkflowId}/wave-${wave.index}-${wave.name}`;
}

/** `bootwave down` of a plan. */
export function teardownWorkflowId(planName: string): string {
  return `${bootWorkflowId(planName)}-down`;
}

/** Clients find a service's live probe progress (heartbeat details) by this ID. */
export function probeActivityId(service: string): string {
  return `probe/${service}`;
}

export function prepareActivityId(service: string): string {
  return `prepare/${service}`;
}

export function startActivityId(service: string): string {
  return `start/${service}`;
}

/** A batch of starts is named by its first service: each service starts once per wave. */
export function startBatchActivityId(firstService: string): string {
  return `start-batch/${firstService}`;
}
