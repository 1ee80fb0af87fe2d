/**
 * Named errors. A class name becomes the Temporal failure type, and the names listed in
 * `nonRetryableErrorTypes` are never retried: retrying cannot help them.
 */

/** A service that cannot become healthy no matter how long we wait (exited, crash-looping, failed Job). */
export class TerminalServiceError extends Error {
  override name = 'TerminalServiceError';
}

/** A health check that did not pass within its budget. */
export class HealthTimeoutError extends Error {
  override name = 'HealthTimeoutError';
}

/** A health check that failed its thresholds (`retries` in a row, or a critical stage's budget). */
export class UnhealthyServiceError extends Error {
  override name = 'UnhealthyServiceError';
}

/** The plan (or a manifest or Compose file it points to) is wrong; the message names the file and the path. */
export class PlanError extends Error {
  override name = 'PlanError';
}

/**
 * The worker is shutting down: a wait (a probe) hands over to another worker at once, resuming from its heartbeat,
 * instead of holding the service for the shutdown grace. Retryable by design.
 */
export class WorkerShutdownError extends Error {
  override name = 'WorkerShutdownError';
}

export const nonRetryableErrorTypes = [
  'TerminalServiceError',
  'HealthTimeoutError',
  'UnhealthyServiceError',
  'PlanError',
];

/** "Failed to <verb> <object>: <reason>", keeping the original as `cause`. */
export function wrapError(action: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`Failed to ${action}: ${reason}`, { cause });
}
