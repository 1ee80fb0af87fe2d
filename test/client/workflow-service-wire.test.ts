import { Enum, Root, roots, type Field } from 'protobufjs/light';
// The SDK's own definitions of Temporal's API: what the server speaks.
import '@temporalio/proto';
import { wireDescriptor, wireEnums, wireMessages } from '../../src/client/workflow-service-wire';

function official(): Root {
  // `@temporalio/proto` registers its root under this name (its json-module).
  const root = (roots as Record<string, Root | undefined>).__temporal;
  if (!root) throw new Error('the SDK did not register its protobuf root');
  return root;
}

/** A field as the wire sees it: its number, label and type (an enum is its number, `int32`). */
function shape(field: Field): string {
  field.resolve();
  const type = field.resolvedType instanceof Enum ? 'int32' : (field.resolvedType?.fullName.slice(1) ?? field.type);
  const keyType = (field as Field & { keyType?: string }).keyType;
  return `${field.id} ${field.repeated ? 'repeated ' : ''}${keyType ? `map<${keyType}> ` : ''}${type}`;
}

describe("the reader's WorkflowService messages", () => {
  const ours = Root.fromJSON(wireDescriptor());
  const theirs = official();

  it.each(Object.keys(wireMessages))('%s: every field as Temporal defines it', (name) => {
    const mine = ours.lookupType(name);
    const server = theirs.lookupType(name);
    const fields = Object.keys(mine.fields);
    expect(fields.length).toBeGreaterThan(0);
    expect(Object.fromEntries(fields.map((f) => [f, shape(mine.fields[f]!)]))).toEqual(
      Object.fromEntries(fields.map((f) => [f, server.fields[f] ? shape(server.fields[f]) : 'absent'])),
    );
  });

  it('reads an execution status, a close-event filter and a task queue type by the numbers Temporal gives them', () => {
    const status = theirs.lookupEnum('temporal.api.enums.v1.WorkflowExecutionStatus').values;
    expect(wireEnums.executionStatus.map((_, index) => index + 1)).toEqual(
      ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT'].map(
        (state) => status[`WORKFLOW_EXECUTION_STATUS_${state}`],
      ),
    );
    expect(wireEnums.historyEventFilterCloseEvent).toBe(
      theirs.lookupEnum('temporal.api.enums.v1.HistoryEventFilterType').values.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
    );
    expect(wireEnums.taskQueueTypeWorkflow).toBe(
      theirs.lookupEnum('temporal.api.enums.v1.TaskQueueType').values.TASK_QUEUE_TYPE_WORKFLOW,
    );
  });

  it('encodes a request the server decodes as the same message, and decodes the server-shaped reply', () => {
    const request = {
      namespace: 'default',
      execution: { workflowId: 'bootwave-demo', runId: 'r1' },
      query: { queryType: 'status' },
    };
    const name = 'temporal.api.workflowservice.v1.QueryWorkflowRequest';
    const bytes = ours.lookupType(name).encode(ours.lookupType(name).fromObject(request)).finish();
    expect(theirs.lookupType(name).toObject(theirs.lookupType(name).decode(bytes))).toEqual(request);

    // A reply full of fields the reader does not know: it skips them and reads its own.
    const reply = 'temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse';
    const full = theirs.lookupType(reply);
    const encoded = full
      .encode(
        full.fromObject({
          executionConfig: { taskQueue: { name: 'q' } },
          workflowExecutionInfo: {
            execution: { workflowId: 'w', runId: 'r' },
            type: { name: 'bootWorkflow' },
            status: 2,
            closeTime: { seconds: 1_800_000_000, nanos: 5_000_000 },
            historyLength: 42,
            taskQueue: 'bootwave',
          },
          pendingActivities: [{ activityId: 'probe/db', attempt: 3, heartbeatDetails: { payloads: [{ data: [1] }] } }],
        }),
      )
      .finish();
    const mine = ours.lookupType(reply);
    expect(mine.toObject(mine.decode(encoded), { longs: Number })).toEqual({
      workflowExecutionInfo: {
        execution: { workflowId: 'w', runId: 'r' },
        status: 2,
        closeTime: { seconds: 1_800_000_000, nanos: 5_000_000 },
        taskQueue: 'bootwave',
      },
      pendingActivities: [{ activityId: 'probe/db', heartbeatDetails: { payloads: [{ data: Buffer.from([1]) }] } }],
    });
  });
});
