/**
 * How `list` and `status` name a boot's execution state. The workflow's own phase (succeeded, failed, …) exists only
 * when it ran to its end; a terminated or timed-out execution never reported one, so these words say what happened
 * to it on the server.
 */
const texts: Record<string, string> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed out',
  CONTINUED_AS_NEW: 'continued as new',
  PAUSED: 'paused',
};

/** `TIMED_OUT` → `timed out`; a name the SDK adds later is shown lower-cased. */
export function executionStatusText(name: string): string {
  return texts[name] ?? name.toLowerCase().replace(/_/g, ' ');
}
