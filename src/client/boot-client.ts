import { Client, Connection, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import type { ProbeProgress } from '../contract/activities';
import { defaultBootOptions, type BootInput, type BootOptions } from '../plan/boot-input';
import type { ResolvedPlan } from '../plan/types';
import { bootWorkflowId, probeActivityId } from '../contract/ids';
import { bootStatusQuery, cancelSignal, pauseSignal, resumeSignal, waveStatusQuery } from '../contract/messages';
import { bootSearchAttributes, planSearchAttribute } from '../contract/search-attributes';
import type { BootStatus, ServiceStatus } from '../contract/status';
import { workflowTypes, type BootWorkflow } from '../contract/workflows';
import { defaultTaskQueue } from '../config/temporal-settings';
import { stackWorkflowId, stackWorkflowType, type StackInput, type StackWorkflow } from '../contract/supervision';
import { StackHandle } from './stack-handle';

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
  status: string;
  startTime: Date;
  closeTime?: Date;
}

/** Live detail of a probing service: "stage 2 of 5 (models_loaded), 14 attempts, HTTP 503 …". */
export interface LiveServiceStatus extends ServiceStatus {
  probe?: ProbeProgress;
}

export interface LiveBootStatus extends BootStatus {
  services: LiveServiceStatus[];
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

  static async connect(options: { address: string; namespace?: string; taskQueue?: string }): Promise<BootClient> {
    const connection = await Connection.connect({ address: options.address });
    return new BootClient(new Client({ connection, namespace: options.namespace ?? 'default' }), options.taskQueue);
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
      ...((await this.searchAttributesRegistered())
        ? { typedSearchAttributes: [{ key: planSearchAttribute, value: plan.name }] }
        : {}),
      memo: { plan: plan.name, strategy: input.options.strategy, onFailure: input.options.onFailure },
    });
    return new BootHandle(this.client, handle);
  }

  /** A handle on an existing boot, by workflow ID (the latest run). */
  boot(workflowId: string): BootHandle {
    return new BootHandle(this.client, this.client.workflow.getHandle<BootWorkflow>(workflowId));
  }

  async list(filter: { plan?: string } = {}): Promise<BootSummary[]> {
    const query = [`WorkflowType = '${workflowTypes.boot}'`];
    if (filter.plan && (await this.searchAttributesRegistered()))
      query.push(`BootwavePlan = '${filter.plan.replace(/'/g, '')}'`);
    const boots: BootSummary[] = [];
    for await (const execution of this.client.workflow.list({ query: query.join(' AND ') })) {
      const plan = typeof execution.memo?.plan === 'string' ? execution.memo.plan : undefined;
      if (filter.plan && plan !== filter.plan) continue;
      boots.push({
        workflowId: execution.workflowId,
        runId: execution.runId,
        plan,
        status: execution.status.name,
        startTime: execution.startTime,
        closeTime: execution.closeTime,
      });
    }
    return boots;
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
      memo: { plan: plan.name },
    });
    const stack = new StackHandle(this.client, handle);
    await stack.waitForBoot(workflowId);
    return { stack, boot: this.boot(workflowId) };
  }

  /** A handle on a plan's supervised stack, by plan name (or the stack's workflow ID). */
  stack(planName: string, workflowId = stackWorkflowId(planName)): StackHandle {
    return new StackHandle(this.client, this.client.workflow.getHandle<StackWorkflow>(workflowId));
  }
}

export class BootHandle {
  constructor(
    private readonly client: Client,
    readonly workflow: WorkflowHandle<BootWorkflow>,
  ) {}

  get workflowId(): string {
    return this.workflow.workflowId;
  }

  /** The boot's status with live detail from running waves and their probes' heartbeats. */
  async status(): Promise<LiveBootStatus> {
    // A finished boot's status is its result, readable from history even when no worker runs.
    const { status: execution } = await this.workflow.describe();
    if (execution.name === 'COMPLETED') return this.workflow.result();
    const status: LiveBootStatus = await this.workflow.query(bootStatusQuery);
    const byName = new Map(status.services.map((s) => [s.name, s as LiveServiceStatus]));
    await Promise.all(
      status.waves
        .filter((wave) => wave.phase === 'running')
        .map(async (wave) => {
          const child = this.client.workflow.getHandle(wave.workflowId);
          try {
            const live = await child.query(waveStatusQuery);
            for (const service of live.services) byName.set(service.name, service);
            if (live.services.some((s) => s.phase === 'probing')) await this.addProbeProgress(child, byName);
          } catch (error) {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
          }
        }),
    );
    return { ...status, services: [...byName.values()] };
  }

  private async addProbeProgress(child: WorkflowHandle, byName: Map<string, LiveServiceStatus>): Promise<void> {
    const description = await child.describe();
    const converter = this.client.options.loadedDataConverter.payloadConverter;
    for (const pending of description.raw.pendingActivities ?? []) {
      const service = [...byName.values()].find((s) => pending.activityId === probeActivityId(s.name));
      const payload = pending.heartbeatDetails?.payloads?.[0];
      if (!service || !payload) continue;
      service.probe = converter.fromPayload<ProbeProgress>(payload);
    }
  }

  result(): Promise<BootStatus> {
    return this.workflow.result();
  }

  cancel(reason?: string): Promise<void> {
    return this.workflow.signal(cancelSignal, reason);
  }

  pause(): Promise<void> {
    return this.workflow.signal(pauseSignal);
  }

  resume(): Promise<void> {
    return this.workflow.signal(resumeSignal);
  }
}
