import { Client as GrpcClient, credentials, Metadata, status as grpcStatus, type ServiceError } from '@grpc/grpc-js';
import { Root } from 'protobufjs/light';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { connectionOptions, type TemporalSettings } from '../config/temporal-settings';
import {
  UnknownWorkflowError,
  type WorkflowDescription,
  type WorkflowOutcome,
  type WorkflowReader,
} from './workflow-reader';
import {
  wireDescriptor,
  wireEnums,
  workflowServicePackage,
  type WireFailure,
  type WireResponses,
  type WireTimestamp,
  type WorkflowServiceMethod,
} from './workflow-service-wire';

/**
 * A status reader that talks to Temporal's WorkflowService itself, over `@grpc/grpc-js`, with the few messages it
 * needs (`workflow-service-wire.ts`): `bootwave status` with no worker on the machine. Loading the SDK's client
 * (the reflection of Temporal's whole API) takes longer than the command may. It reads what the SDK's client would:
 * payloads through the same codec, then as JSON; encoded failure messages decoded.
 */
export interface GrpcWorkflowReader extends WorkflowReader {
  close(): void;
}

/** The server could not be reached, or refused the credentials: the SDK's client connects again and explains. */
export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
}

const connectionCodes = new Set<number>([
  grpcStatus.UNAVAILABLE,
  grpcStatus.UNAUTHENTICATED,
  grpcStatus.PERMISSION_DENIED,
]);
/** A call's deadline when it gives none: the server answers these at once, or is not there. */
const callDeadlineMs = 10_000;

export function grpcWorkflowReader(
  settings: TemporalSettings,
  address: string,
  codec: PayloadCodec | undefined,
): GrpcWorkflowReader {
  const options = connectionOptions(settings, address);
  const tls = options.tls === true ? {} : options.tls;
  const channel = new GrpcClient(
    address,
    tls || options.apiKey
      ? credentials.createSsl(
          tls?.serverRootCACertificate ?? null,
          tls?.clientCertPair?.key ?? null,
          tls?.clientCertPair?.crt ?? null,
        )
      : credentials.createInsecure(),
    tls?.serverNameOverride
      ? { 'grpc.ssl_target_name_override': tls.serverNameOverride, 'grpc.default_authority': tls.serverNameOverride }
      : {},
  );
  const root = Root.fromJSON(wireDescriptor());
  const metadata = new Metadata();
  metadata.set('temporal-namespace', settings.namespace);
  if (options.apiKey) metadata.set('authorization', `Bearer ${options.apiKey}`);

  function call<M extends WorkflowServiceMethod>(
    method: M,
    request: Record<string, unknown>,
    withinMs = callDeadlineMs,
  ): Promise<WireResponses[M]> {
    const requestType = root.lookupType(`${workflowServicePackage}.${method}Request`);
    const responseType = root.lookupType(`${workflowServicePackage}.${method}Response`);
    return new Promise((resolve, reject) => {
      channel.makeUnaryRequest(
        `/${workflowServicePackage}.WorkflowService/${method}`,
        (message: Record<string, unknown>) => Buffer.from(requestType.encode(requestType.fromObject(message)).finish()),
        (bytes: Buffer) => responseType.toObject(responseType.decode(bytes), { longs: Number }) as WireResponses[M],
        request,
        metadata,
        { deadline: Date.now() + withinMs },
        (error, response) => (error ? reject(callError(error)) : resolve(response!)),
      );
    });
  }

  /** A payload's value: through the codec, then as the SDK's default converter wrote it. */
  async function decode(payload: Payload | undefined): Promise<unknown> {
    if (!payload) return undefined;
    const [decoded] = codec ? await codec.decode([payload]) : [payload];
    return fromJsonPayload(decoded!);
  }

  /** The innermost cause's message, decoded when failures are encoded (`encoded-failures.ts`). */
  async function failureMessage(failure: WireFailure | undefined): Promise<string> {
    let inner = failure;
    while (inner?.cause) inner = inner.cause;
    if (inner?.encodedAttributes) {
      const attributes = (await decode(inner.encodedAttributes)) as { message?: string } | undefined;
      if (attributes?.message) return attributes.message;
    }
    return inner?.message ?? '';
  }

  const namespace = settings.namespace;
  return {
    async describe(workflowId, runId): Promise<WorkflowDescription> {
      const response = await call('DescribeWorkflowExecution', { namespace, execution: { workflowId, runId } });
      const info = response.workflowExecutionInfo ?? {};
      const memo: Record<string, unknown> = {};
      for (const [key, payload] of Object.entries(info.memo?.fields ?? {})) memo[key] = await decode(payload);
      return {
        runId: info.execution?.runId ?? '',
        execution: wireEnums.executionStatus[(info.status ?? 1) - 1] ?? 'running',
        ...(info.closeTime ? { closeTime: timestampDate(info.closeTime) } : {}),
        taskQueue: info.taskQueue ?? '',
        memo,
        pendingActivities: await Promise.all(
          (response.pendingActivities ?? []).map(async (activity) => ({
            activityId: activity.activityId ?? '',
            heartbeat: await decode(activity.heartbeatDetails?.payloads?.[0]).catch(() => undefined),
          })),
        ),
      };
    },

    async outcome(workflowId, runId): Promise<WorkflowOutcome> {
      const execution = { workflowId, runId };
      for (let nextPageToken: Buffer | undefined; ;) {
        const response = await call('GetWorkflowExecutionHistory', {
          namespace,
          execution,
          skipArchival: true,
          historyEventFilterType: wireEnums.historyEventFilterCloseEvent,
          ...(nextPageToken ? { nextPageToken } : {}),
        });
        const event = response.history?.events?.[0];
        if (!event) {
          if (!response.nextPageToken?.length) throw new Error(`${workflowId} has not closed`);
          nextPageToken = response.nextPageToken;
          continue;
        }
        nextPageToken = undefined;
        // A closed run that continued in another: its outcome is that run's, as the SDK's `result()` follows it.
        const next =
          event.workflowExecutionCompletedEventAttributes?.newExecutionRunId ||
          event.workflowExecutionFailedEventAttributes?.newExecutionRunId ||
          event.workflowExecutionTimedOutEventAttributes?.newExecutionRunId ||
          event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
        if (next) {
          execution.runId = next;
          continue;
        }
        const completed = event.workflowExecutionCompletedEventAttributes;
        if (completed) return { completed: true, result: await decode(completed.result?.payloads?.[0]) };
        if (event.workflowExecutionFailedEventAttributes)
          return { completed: false, why: await failureMessage(event.workflowExecutionFailedEventAttributes.failure) };
        if (event.workflowExecutionTerminatedEventAttributes)
          return {
            completed: false,
            why: event.workflowExecutionTerminatedEventAttributes.reason || 'Workflow execution terminated',
          };
        if (event.workflowExecutionTimedOutEventAttributes)
          return { completed: false, why: 'Workflow execution timed out' };
        return { completed: false, why: 'Workflow canceled' };
      }
    },

    async query(workflowId, runId, name, withinMs) {
      const response = await call(
        'QueryWorkflow',
        { namespace, execution: { workflowId, runId }, query: { queryType: name } },
        withinMs,
      );
      if (response.queryRejected)
        throw new Error(`the query ${name} of ${workflowId} was rejected (status ${response.queryRejected.status})`);
      return decode(response.queryResult?.payloads?.[0]);
    },

    async lastPolledAt(taskQueue) {
      const response = await call('DescribeTaskQueue', {
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: wireEnums.taskQueueTypeWorkflow,
      });
      const times = (response.pollers ?? []).map((poller) =>
        poller.lastAccessTime ? timestampDate(poller.lastAccessTime).getTime() : 0,
      );
      const newest = Math.max(0, ...times);
      return newest > 0 ? new Date(newest) : undefined;
    },

    close: () => channel.close(),
  };
}

function timestampDate(timestamp: WireTimestamp): Date {
  return new Date((timestamp.seconds ?? 0) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6));
}

/** As the SDK's default payload converter reads what it wrote: JSON, or nothing. */
function fromJsonPayload(payload: Payload): unknown {
  const encoding = payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString('utf8') : undefined;
  if (encoding === 'binary/null') return undefined;
  if (encoding === 'json/plain') return JSON.parse(Buffer.from(payload.data ?? new Uint8Array()).toString('utf8'));
  throw new Error(`a payload encoded as ${encoding ?? 'nothing'}, which bootwave does not write`);
}

/** The errors callers test for; the server's message otherwise. */
function callError(error: ServiceError): Error {
  if (connectionCodes.has(error.code)) return new TemporalUnreachableError(error.message, { cause: error });
  if (error.code === grpcStatus.NOT_FOUND) return new UnknownWorkflowError(error.details || error.message);
  return new Error(error.details || error.message, { cause: error });
}
