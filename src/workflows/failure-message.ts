import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';

/** The innermost useful message of an activity failure, e.g. "service db exited with code 1: …". */
export function describeFailure(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return describeFailure(error.cause);
  if (error instanceof TimeoutFailure) return `activity timed out (${error.timeoutType})`;
  if (error instanceof ApplicationFailure) return error.message;
  return error instanceof Error ? error.message : String(error);
}
