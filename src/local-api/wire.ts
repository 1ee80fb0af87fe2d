import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import { BootControlRefusedError, StackUnansweredError } from '../client/client-errors';

/**
 * The local API's wire format: `POST /v1/<method>` with the arguments as a JSON array; the answer is
 * `{ "value": … }` or `{ "error": WireError }`. Both ends run the same build (the worker registry matches it), so
 * the format needs no versions beyond the path's.
 */
export const apiPathPrefix = '/v1/';

/** A boot as the API names it: its workflow ID and, when bound to one, its run. */
export interface BootRef {
  workflowId: string;
  runId?: string;
}

/** An error the API answered with: enough to rebuild the classes the CLI tells apart. */
export interface WireError {
  name: string;
  message: string;
  workflowId?: string;
  runId?: string;
  workflowType?: string;
}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { name, message } = error;
  if (error instanceof WorkflowNotFoundError)
    return { name, message, workflowId: error.workflowId, runId: error.runId };
  if (error instanceof WorkflowExecutionAlreadyStartedError)
    return { name, message, workflowId: error.workflowId, workflowType: error.workflowType };
  return { name, message };
}

/** The same error on the command's side: the SDK's and the client's own classes, a plain `Error` otherwise. */
export function fromWireError(wire: WireError): Error {
  switch (wire.name) {
    case 'WorkflowNotFoundError':
      return new WorkflowNotFoundError(wire.message, wire.workflowId ?? '', wire.runId);
    case 'WorkflowExecutionAlreadyStartedError':
      return new WorkflowExecutionAlreadyStartedError(wire.message, wire.workflowId ?? '', wire.workflowType ?? '');
    case 'BootControlRefusedError':
      return new BootControlRefusedError(wire.message);
    case 'StackUnansweredError':
      return new StackUnansweredError(wire.message);
    default:
      return new Error(wire.message);
  }
}
