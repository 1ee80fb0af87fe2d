/**
 * A plan's update schedule by default: one per plan, so a second `schedule create` of the same plan is refused
 * instead of silently doubling the updates (`--id` names another on purpose).
 */
export function updateScheduleId(planName: string): string {
  return `bootwave-update-${planName}`;
}

/**
 * The workflow ID a schedule gives the updates it starts; Temporal appends the scheduled time
 * (`bootwave-update-demo-2026-11-29T03:00:00Z`), so every firing is its own workflow.
 */
export function scheduledUpdateWorkflowId(planName: string): string {
  return `bootwave-update-${planName}`;
}

/** Marks a schedule as bootwave's (memo), so `schedule list` leaves other schedules of the namespace alone. */
export const scheduleMarker = 'bootwave-update';
