/**
 * The few messages of Temporal's WorkflowService that `bootwave status` sends and reads, each with only the fields
 * it uses, as protobuf.js reflection (JSON descriptor form). A decoder skips the fields it does not know, so these
 * read the server's full messages. Enums are read and written as their numbers. The field numbers are Temporal's
 * (`temporal/api/*.proto`); a unit test checks every one against the SDK's own definitions.
 */
import type { INamespace } from 'protobufjs/light';
import type { Payload } from '@temporalio/common';

type Field = { type: string; id: number; rule?: 'repeated'; keyType?: 'string' };
type Fields = Record<string, Field>;

const string = (id: number): Field => ({ type: 'string', id });
const of = (type: string, id: number): Field => ({ type, id });
const repeated = (type: string, id: number): Field => ({ type, id, rule: 'repeated' });
const mapOf = (type: string, id: number): Field => ({ type, id, keyType: 'string' });

const common = 'temporal.api.common.v1';
const history = 'temporal.api.history.v1';

/** The WorkflowService methods used, each with its request and response messages. */
export const workflowServiceMethods = [
  'DescribeWorkflowExecution',
  'QueryWorkflow',
  'GetWorkflowExecutionHistory',
  'DescribeTaskQueue',
] as const;
export type WorkflowServiceMethod = (typeof workflowServiceMethods)[number];

export const workflowServicePackage = 'temporal.api.workflowservice.v1';

function service(methods: Record<WorkflowServiceMethod, [Fields, Fields]>): Record<string, Fields> {
  return Object.fromEntries(
    Object.entries(methods).flatMap(([method, [request, response]]) => [
      [`${workflowServicePackage}.${method}Request`, request],
      [`${workflowServicePackage}.${method}Response`, response],
    ]),
  );
}

/** By their full names in Temporal's API. */
export const wireMessages: Record<string, Fields> = {
  'google.protobuf.Timestamp': { seconds: of('int64', 1), nanos: of('int32', 2) },
  [`${common}.WorkflowExecution`]: { workflowId: string(1), runId: string(2) },
  [`${common}.Payload`]: { metadata: mapOf('bytes', 1), data: of('bytes', 2) },
  [`${common}.Payloads`]: { payloads: repeated(`${common}.Payload`, 1) },
  [`${common}.Memo`]: { fields: mapOf(`${common}.Payload`, 1) },
  'temporal.api.taskqueue.v1.TaskQueue': { name: string(1) },
  'temporal.api.taskqueue.v1.PollerInfo': { lastAccessTime: of('google.protobuf.Timestamp', 1) },
  'temporal.api.workflow.v1.WorkflowExecutionInfo': {
    execution: of(`${common}.WorkflowExecution`, 1),
    closeTime: of('google.protobuf.Timestamp', 4),
    status: of('int32', 5),
    memo: of(`${common}.Memo`, 10),
    taskQueue: string(13),
  },
  'temporal.api.workflow.v1.PendingActivityInfo': {
    activityId: string(1),
    heartbeatDetails: of(`${common}.Payloads`, 4),
  },
  'temporal.api.failure.v1.Failure': {
    message: string(1),
    cause: of('temporal.api.failure.v1.Failure', 4),
    encodedAttributes: of(`${common}.Payload`, 20),
  },
  'temporal.api.query.v1.WorkflowQuery': { queryType: string(1) },
  'temporal.api.query.v1.QueryRejected': { status: of('int32', 1) },
  [`${history}.History`]: { events: repeated(`${history}.HistoryEvent`, 1) },
  [`${history}.HistoryEvent`]: {
    workflowExecutionCompletedEventAttributes: of(`${history}.WorkflowExecutionCompletedEventAttributes`, 7),
    workflowExecutionFailedEventAttributes: of(`${history}.WorkflowExecutionFailedEventAttributes`, 8),
    workflowExecutionTimedOutEventAttributes: of(`${history}.WorkflowExecutionTimedOutEventAttributes`, 9),
    workflowExecutionTerminatedEventAttributes: of(`${history}.WorkflowExecutionTerminatedEventAttributes`, 27),
    workflowExecutionCanceledEventAttributes: of(`${history}.WorkflowExecutionCanceledEventAttributes`, 29),
    workflowExecutionContinuedAsNewEventAttributes: of(`${history}.WorkflowExecutionContinuedAsNewEventAttributes`, 33),
  },
  [`${history}.WorkflowExecutionCompletedEventAttributes`]: {
    result: of(`${common}.Payloads`, 1),
    newExecutionRunId: string(3),
  },
  [`${history}.WorkflowExecutionFailedEventAttributes`]: {
    failure: of('temporal.api.failure.v1.Failure', 1),
    newExecutionRunId: string(4),
  },
  [`${history}.WorkflowExecutionTimedOutEventAttributes`]: { newExecutionRunId: string(2) },
  [`${history}.WorkflowExecutionTerminatedEventAttributes`]: { reason: string(1) },
  [`${history}.WorkflowExecutionCanceledEventAttributes`]: { workflowTaskCompletedEventId: of('int64', 1) },
  [`${history}.WorkflowExecutionContinuedAsNewEventAttributes`]: { newExecutionRunId: string(1) },
  ...service({
    DescribeWorkflowExecution: [
      { namespace: string(1), execution: of(`${common}.WorkflowExecution`, 2) },
      {
        workflowExecutionInfo: of('temporal.api.workflow.v1.WorkflowExecutionInfo', 2),
        pendingActivities: repeated('temporal.api.workflow.v1.PendingActivityInfo', 3),
      },
    ],
    QueryWorkflow: [
      {
        namespace: string(1),
        execution: of(`${common}.WorkflowExecution`, 2),
        query: of('temporal.api.query.v1.WorkflowQuery', 3),
      },
      { queryResult: of(`${common}.Payloads`, 1), queryRejected: of('temporal.api.query.v1.QueryRejected', 2) },
    ],
    GetWorkflowExecutionHistory: [
      {
        namespace: string(1),
        execution: of(`${common}.WorkflowExecution`, 2),
        nextPageToken: of('bytes', 4),
        waitNewEvent: of('bool', 5),
        historyEventFilterType: of('int32', 6),
        skipArchival: of('bool', 7),
      },
      { history: of(`${history}.History`, 1), nextPageToken: of('bytes', 3) },
    ],
    DescribeTaskQueue: [
      {
        namespace: string(1),
        taskQueue: of('temporal.api.taskqueue.v1.TaskQueue', 2),
        taskQueueType: of('int32', 3),
      },
      { pollers: repeated('temporal.api.taskqueue.v1.PollerInfo', 1) },
    ],
  }),
};

/** The messages as protobuf.js's JSON descriptor: namespaces nested by the names' parts. */
export function wireDescriptor(): INamespace {
  const root = { nested: {} } as { nested: Record<string, INamespace> };
  for (const [fullName, fields] of Object.entries(wireMessages)) {
    const parts = fullName.split('.');
    let namespace = root;
    for (const part of parts.slice(0, -1))
      namespace = (namespace.nested[part] ??= { nested: {} }) as { nested: Record<string, INamespace> };
    namespace.nested[parts.at(-1)!] = { fields } as INamespace;
  }
  return root;
}

/** Temporal's enum numbers that the reader uses. */
export const wireEnums = {
  /** `WorkflowExecutionStatus`, in order from 1. */
  executionStatus: ['running', 'completed', 'failed', 'cancelled', 'terminated', 'continued-as-new', 'timed-out'],
  historyEventFilterCloseEvent: 2,
  taskQueueTypeWorkflow: 1,
} as const;

/** The responses as decoded here (`longs` as numbers, bytes as Buffers): only the fields above. */
export interface WireResponses {
  DescribeWorkflowExecution: {
    workflowExecutionInfo?: {
      execution?: { workflowId?: string; runId?: string };
      closeTime?: WireTimestamp;
      status?: number;
      memo?: { fields?: Record<string, Payload> };
      taskQueue?: string;
    };
    pendingActivities?: { activityId?: string; heartbeatDetails?: WirePayloads }[];
  };
  QueryWorkflow: { queryResult?: WirePayloads; queryRejected?: { status?: number } };
  GetWorkflowExecutionHistory: { history?: { events?: WireHistoryEvent[] }; nextPageToken?: Buffer };
  DescribeTaskQueue: { pollers?: { lastAccessTime?: WireTimestamp }[] };
}

export interface WireTimestamp {
  seconds?: number;
  nanos?: number;
}
export interface WirePayloads {
  payloads?: Payload[];
}
export interface WireFailure {
  message?: string;
  cause?: WireFailure;
  encodedAttributes?: Payload;
}
/** A close event: one of its attributes is set. */
export interface WireHistoryEvent {
  workflowExecutionCompletedEventAttributes?: { result?: WirePayloads; newExecutionRunId?: string };
  workflowExecutionFailedEventAttributes?: { failure?: WireFailure; newExecutionRunId?: string };
  workflowExecutionTimedOutEventAttributes?: { newExecutionRunId?: string };
  workflowExecutionTerminatedEventAttributes?: { reason?: string };
  workflowExecutionCanceledEventAttributes?: object;
  workflowExecutionContinuedAsNewEventAttributes?: { newExecutionRunId?: string };
}
