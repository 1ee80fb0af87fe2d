import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { defaultBootOptions, type BootInput, type BootOptions } from '../plan/boot-input';
import type { ResolvedPlan } from '../plan/types';
import { bootWorkflowId, teardownWorkflowId } from '../contract/ids';
import { cancelUpdate, pauseUpdate, resumeUpdate } from '../contract/messages';
import {
  bootSearchAttributes,
  planSearchAttribute,
  statusSearchAttribute,
  type PlanAttributes,
} from '../contract/search-attributes';
import type { BootControlState, BootStatus } from '../contract/status';
import {
  workflowTaskTimeout,
  workflowTypes,
  type BootWorkflow,
  type TeardownResult,
  type TeardownWorkflow,
} from '../contract/workflows';
import type { DataConverter } from '@temporalio/common';
import { connectToTemporal } from '../config/connect-to-temporal';
import { defaultTaskQueue, type TemporalTls } from '../config/temporal-settings';
import { stackWorkflowId, stackWorkflowType, type StackInput, type StackWorkflow } from '../contract/supervision';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { StackHandle } from './stack-handle';
import { UpdateSchedules } from '../schedules/update-schedules';
import {
  updateWorkflowId,
  updateWorkflowType,
  type UpdateInput,
  type UpdateOptions,
  type UpdateWorkflow,
} from '../contract/update';
import { runningPlan, UpdateHandle } from './update-handle';
import { readBootStatus, type LiveBootStatus } from './read-status';
import { sdkWorkflowReader } from './sdk-workflow-reader';
import { BootControlRefusedError } from './client-errors';

export { BootControlRefusedError } from './client-errors';
export type { ExecutionState, LiveBootStatus, LiveServiceStatus } from './read-status';

export interface StartBootOptions extends Partial<BootOptions> {
  workflowId?: string;
}

/** `up`: the boot's options plus the stack's own (its ID, continue-as-new threshold, watch window). */
export interface StartStackOptions extends StartBootOptions {
  stackId?: string;
  maxHistoryEvents?: number;
  watchWindowMs?: number;
}

export interface BootSummary {
  workflowId: string;
  runId: string;
  plan?: string;
  /** The execution's status on the server: `RUNNING`, `COMPLETED`, `TERMINATED` … */
  status: string;
  /** The phase the boot last reported (`BootwaveStatus`): `running`, `degraded`, `rolled-back` …; none without it. */
  phase?: string;
  startTime: Date;
  closeTime?: Date;
}

/**
 * The typed client other services use: start a boot, read its live status, wait, cancel, pause, list.
 * Everything goes through Temporal, so it works from any process that reaches the server.
 */
export class BootClient {
  private indexed: Promise<boolean> | undefined;

  constructor(
    readonly client: Client,
    readonly taskQueue: string = defaultTaskQueue,
  ) {}

  /**
   * Connects to `address`, over TLS and with an API key when given (`connectionOptions` of `TemporalSettings`),
   * encrypting payloads with `dataConverter` when given (`bootwaveDataConverter`).
   */
  static async connect(options: {
    address: string;
    namespace?: string;
    taskQueue?: string;
    tls?: TemporalTls | true;
    apiKey?: string;
    dataConverter?: DataConverter;
  }): Promise<BootClient> {
    const connection = await connectToTemporal(options);
    return new BootClient(
      new Client({
        connection,
        namespace: options.namespace ?? 'default',
        ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
      }),
      options.taskQueue,
    );
  }

  async close(): Promise<void> {
    await this.client.connection.close();
  }

  async start(plan: ResolvedPlan, options: StartBootOptions = {}): Promise<BootHandle> {
    const { workflowId = bootWorkflowId(plan.name), ...bootOptions } = options;
    const input: BootInput = { plan, options: { ...defaultBootOptions, ...bootOptions } };
    const handle = await this.client.workflow.start<BootWorkflow>(workflowTypes.boot, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [input],
      workflowTaskTimeout,
      ...(await this.planAttributes(plan.name)),
      memo: { plan: plan.name, strategy: input.options.strategy, onFailure: input.options.onFailure },
    });
    return new BootHandle(this.client, handle, handle.firstExecutionRunId);
  }

  /** Scheduled rolling updates: Temporal Schedules that start `updateWorkflow` with a snapshot of a plan. */
  get schedules(): UpdateSchedules {
    return new UpdateSchedules(this.client, this.taskQueue, (plan) => this.planAttributes(plan));
  }

  /** A boot by its workflow ID: its newest run, or the run `runId` names. */
  boot(workflowId: string, runId?: string): BootHandle {
    return new BootHandle(this.client, this.client.workflow.getHandle<BootWorkflow>(workflowId, runId), runId);
  }

  /**
   * Boots in the namespace, newest first. Each boot's memo is decoded on its own: one encrypted with a key this
   * client lacks (a namespace shared with codec-enabled stacks) lists without its plan name instead of failing the
   * whole list, as the SDK's `workflow.list` would.
   */
  async list(filter: { plan?: string } = {}): Promise<BootSummary[]> {
    const query = [`WorkflowType = '${workflowTypes.boot}'`];
    if (filter.plan && (await this.searchAttributesRegistered()))
      query.push(`BootwavePlan = '${filter.plan.replace(/'/g, '')}'`);
    const { namespace, loadedDataConverter } = this.client.options;
    const boots: BootSummary[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.client.workflowService.listWorkflowExecutions({
        namespace,
        query: query.join(' AND '),
        ...(nextPageToken ? { nextPageToken } : {}),
      });
      for (const raw of page.executions ?? []) {
        const execution = await executionInfoFromRaw({ ...raw, memo: null }, loadedDataConverter, raw, namespace);
        const plan = await decodeOptionalSinglePayload<unknown>(loadedDataConverter, raw.memo?.fields?.plan).catch(
          () => undefined,
        );
        if (filter.plan && plan !== filter.plan) continue;
        boots.push({
          workflowId: execution.workflowId,
          runId: execution.runId,
          plan: typeof plan === 'string' ? plan : undefined,
          status: execution.status.name,
          phase: execution.typedSearchAttributes.get(statusSearchAttribute),
          startTime: execution.startTime,
          closeTime: execution.closeTime,
        });
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return boots;
  }

  /** The plan's search attribute for a workflow or schedule this client starts; none when the server lacks it. */
  private async planAttributes(plan: string): Promise<PlanAttributes> {
    return (await this.searchAttributesRegistered())
      ? { typedSearchAttributes: [{ key: planSearchAttribute, value: plan }] }
      : {};
  }

  /** Registers bootwave's search attributes when the server lacks them (a dev server or a self-hosted one). */
  private searchAttributesRegistered(): Promise<boolean> {
    this.indexed ??= (async () => {
      try {
        const operator = this.client.connection.operatorService;
        const namespace = this.client.options.namespace;
        const { customAttributes } = await operator.listSearchAttributes({ namespace });
        const missing = bootSearchAttributes.filter((key) => !(key.name in (customAttributes ?? {})));
        if (missing.length > 0) {
          await operator.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(missing.map((key) => [key.name, 2 /* KEYWORD */])),
          });
        }
        return true;
      } catch {
        return false; // e.g. no operator rights: boots still run, only unindexed.
      }
    })();
    return this.indexed;
  }

  /**
   * `bootwave up`: starts the plan's supervised stack (`bootwave-stack-<plan>`), which boots the plan as its child
   * (`bootwave-<plan>` unless `workflowId` says otherwise, so `boot()` and `bootwave status` find it) and then
   * supervises it until `down`. `start` stays the plain, unsupervised boot.
   */
  async up(plan: ResolvedPlan, options: StartStackOptions = {}): Promise<{ stack: StackHandle; boot: BootHandle }> {
    const {
      workflowId = bootWorkflowId(plan.name),
      stackId = stackWorkflowId(plan.name),
      maxHistoryEvents,
      watchWindowMs,
      ...bootOptions
    } = options;
    const input: StackInput = {
      plan,
      options: { ...defaultBootOptions, ...bootOptions },
      bootWorkflowId: workflowId,
      ...(maxHistoryEvents === undefined ? {} : { maxHistoryEvents }),
      ...(watchWindowMs === undefined ? {} : { watchWindowMs }),
    };
    const handle = await this.client.workflow.start<StackWorkflow>(stackWorkflowType, {
      taskQueue: this.taskQueue,
      workflowId: stackId,
      args: [input],
      workflowTaskTimeout,
      ...(await this.planAttributes(plan.name)),
      memo: { plan: plan.name },
    });
    const stack = new StackHandle(this.client, handle);
    // Bound to the run this stack started: a second `up` must not read the previous boot's result.
    const runId = await stack.waitForBoot(workflowId);
    return {
      stack,
      boot: new BootHandle(this.client, this.client.workflow.getHandle<BootWorkflow>(workflowId, runId), runId),
    };
  }

  /**
   * `bootwave update`: rolls the plan's changes out on its supervised stack (`bootwave-update-<plan>` unless
   * `workflowId` says otherwise; Temporal refuses a second one with the same ID while one runs). `handle.report()`
   * waits for the final report: updated, partially updated, rolled back, refused.
   */
  async update(plan: ResolvedPlan, options: UpdateOptions & { workflowId?: string } = {}): Promise<UpdateHandle> {
    const { workflowId = updateWorkflowId(plan.name), ...updateOptions } = options;
    const input: UpdateInput = { plan, options: updateOptions };
    const handle = await this.client.workflow.start<UpdateWorkflow>(updateWorkflowType, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [input],
      workflowTaskTimeout,
      ...(await this.planAttributes(plan.name)),
      memo: { plan: plan.name },
    });
    return new UpdateHandle(this.client, handle, plan.name, handle.firstExecutionRunId);
  }

  /** The plan a supervised stack runs now: what an update is compared with (`update --dry-run`). */
  runningPlan(planName: string): Promise<ResolvedPlan> {
    return runningPlan(this.client, planName);
  }

  /** A handle on a plan's supervised stack, by plan name (or the stack's workflow ID). */
  stack(planName: string, workflowId = stackWorkflowId(planName)): StackHandle {
    return new StackHandle(this.client, this.client.workflow.getHandle<StackWorkflow>(workflowId));
  }

  /**
   * Brings the plan's stack down: every service stopped in reverse dependency order by the durable
   * `teardownWorkflow` (one per plan at a time), whose result says what was stopped, absent or failed. A `down`
   * already under way for the plan is waited for instead: its result is this one's.
   */
  async down(plan: ResolvedPlan, options: { workflowId?: string } = {}): Promise<TeardownResult> {
    const workflowId = options.workflowId ?? teardownWorkflowId(plan.name);
    try {
      return await this.client.workflow.execute<TeardownWorkflow>(workflowTypes.teardown, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [plan],
        workflowTaskTimeout,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return this.client.workflow.getHandle<TeardownWorkflow>(workflowId).result();
    }
  }
}

export class BootHandle {
  constructor(
    private readonly client: Client,
    readonly workflow: WorkflowHandle<BootWorkflow>,
    /** The run this handle is bound to, when it was (a boot `start` or `up` began); else the ID's newest run. */
    readonly runId?: string,
  ) {}

  get workflowId(): string {
    return this.workflow.workflowId;
  }

  /**
   * The boot's status with live detail from running waves and their probes' heartbeats, and the state of the
   * execution itself: a terminated or timed-out boot reads as such, never as running.
   */
  status(): Promise<LiveBootStatus> {
    return readBootStatus(sdkWorkflowReader(this.client), this.workflowId, this.runId);
  }

  result(): Promise<BootStatus> {
    return this.workflow.result();
  }

  /** Cancels the boot (then its failure policy applies); answers the boot's state after the request. */
  cancel(reason?: string): Promise<BootControlState> {
    return this.control(() => this.workflow.executeUpdate(cancelUpdate, { args: [reason ?? ''] }));
  }

  /** Holds before starting more services; refused when the boot has finished or is rolling back. */
  pause(): Promise<BootControlState> {
    return this.control(() => this.workflow.executeUpdate(pauseUpdate));
  }

  resume(): Promise<BootControlState> {
    return this.control(() => this.workflow.executeUpdate(resumeUpdate));
  }

  /** A control's answer, or why the boot refused it: its validator's reason, or that the boot has ended. */
  private async control(send: () => Promise<BootControlState>): Promise<BootControlState> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError)
        throw new BootControlRefusedError(error.cause?.message ?? error.message, { cause: error });
      // The server refuses Updates of a closed execution before the boot's validator can: say why it is closed.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      const closed = await this.status().catch(() => undefined);
      if (!closed) throw error;
      const why = closed.execution === 'completed' ? `has already ${closed.phase}` : `is ${closed.execution}`;
      throw new BootControlRefusedError(`the boot ${why}`, { cause: error });
    }
  }
}
