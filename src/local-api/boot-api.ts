import type {
  BootClient,
  BootSummary,
  LiveBootStatus,
  StartBootOptions,
  StartStackOptions,
} from '../client/boot-client';
import type { BootControlState, BootStatus } from '../contract/status';
import type { StackStatus } from '../contract/supervision';
import type { ResolvedPlan } from '../plan/types';
import { isWorkflowNotFound } from '../client/workflow-reader';

/** One boot, as the CLI reads and controls it. */
export interface BootView {
  readonly workflowId: string;
  /** The run it is bound to, when known. */
  readonly runId?: string;
  status(): Promise<LiveBootStatus>;
  result(): Promise<BootStatus>;
  cancel(reason?: string): Promise<BootControlState>;
  pause(): Promise<BootControlState>;
  resume(): Promise<BootControlState>;
}

/**
 * What `up`, `status`, `list`, `cancel`, `pause` and `resume` ask of Temporal. Either the command's own client
 * (`directBootApi`) or a running `bootwave dev` or `bootwave worker` on this machine, whose client is loaded and
 * connected already (`localBootApi`): the same calls, made by that process for the command.
 */
export interface BootApi {
  /** Starts the plan's supervised stack; the boot it began. */
  up(plan: ResolvedPlan, options: StartStackOptions): Promise<BootView>;
  /** Starts a plain, unsupervised boot. */
  start(plan: ResolvedPlan, options: StartBootOptions): Promise<BootView>;
  boot(workflowId: string, runId?: string): BootView;
  /** The plan's stack as it is now, or undefined when the plan was never `up` supervised on this server. */
  stackStatus(plan: string): Promise<StackStatus | undefined>;
  list(filter: { plan?: string }): Promise<BootSummary[]>;
}

export function directBootApi(client: BootClient): BootApi {
  return {
    up: async (plan, options) => (await client.up(plan, options)).boot,
    start: (plan, options) => client.start(plan, options),
    boot: (workflowId, runId) => client.boot(workflowId, runId),
    stackStatus: async (plan) => {
      try {
        return await client.stack(plan).status();
      } catch (error) {
        if (isWorkflowNotFound(error)) return undefined;
        throw error;
      }
    },
    list: (filter) => client.list(filter),
  };
}
