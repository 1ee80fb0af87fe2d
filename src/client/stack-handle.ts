import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import {
  endSupervisionUpdate,
  restartServiceUpdate,
  startOnDemandUpdate,
  type StackStatus,
  type StackWorkflow,
  type SupervisedService,
} from '../contract/supervision';
import { readStackStatus } from './read-status';
import { sdkWorkflowReader } from './sdk-workflow-reader';

export { StackUnansweredError } from './client-errors';

/** A supervised stack: its live state, an operator's restart, the end of supervision. */
export class StackHandle {
  constructor(
    private readonly client: Client,
    readonly workflow: WorkflowHandle<StackWorkflow>,
  ) {}

  get workflowId(): string {
    return this.workflow.workflowId;
  }

  /**
   * The live state while it runs, as a worker answers it; its result once supervision has ended (readable with no
   * worker). A running stack that no worker answers is a `StackUnansweredError` (`readStackStatus`).
   */
  status(answerWithinMs?: number): Promise<StackStatus> {
    return readStackStatus(sdkWorkflowReader(this.client), this.workflowId, answerWithinMs);
  }

  /** Restarts a service now (clears a crash loop) and answers with its state once it is up or failed again. */
  restart(service: string): Promise<SupervisedService> {
    return retryLostUpdate(() => this.workflow.executeUpdate(restartServiceUpdate, { args: [service] }));
  }

  /** Starts an on-demand service with its dependencies; answered once it is up (or failed). */
  start(service: string): Promise<SupervisedService> {
    return retryLostUpdate(() => this.workflow.executeUpdate(startOnDemandUpdate, { args: [service] }));
  }

  /** Stops supervising; answered once no watch or restart runs any more. */
  async end(reason: string): Promise<StackStatus> {
    try {
      return await retryLostUpdate(() => this.workflow.executeUpdate(endSupervisionUpdate, { args: [reason] }));
    } catch (error) {
      // A retried end whose first attempt ended it after all.
      const { status } = await this.workflow.describe();
      if (status.name === 'COMPLETED') return this.workflow.result();
      throw error;
    }
  }

  /** Waits until the stack has started its boot child (or ended without one). */
  async waitForBoot(bootWorkflowId: string, timeoutMs = 30_000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    const { runId: stackRunId } = await this.workflow.describe();
    for (;;) {
      try {
        // The boot of this stack's run: an earlier boot of the plan has the same workflow ID.
        const boot = await this.client.workflow.getHandle(bootWorkflowId).describe();
        if (boot.parentExecution?.runId === stackRunId) return boot.runId;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      const { status } = await this.workflow.describe();
      if (status.name !== 'RUNNING') return undefined;
      if (Date.now() > deadline) throw new Error(`boot ${bootWorkflowId} not started after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A rejected Update says why in its cause ("no service nope in plan demo"); the wrapper only says it failed. */
function unwrapUpdateFailure(error: unknown): never {
  if (error instanceof WorkflowUpdateFailedError && error.cause) throw new Error(error.cause.message, { cause: error });
  throw error;
}

/**
 * An Update rides on a workflow task; when that task fails for a reason of the server's (UnhandledCommand: an
 * activity completed while the task ran), the server answers FAILED_PRECONDITION "unexpected workflow task failure"
 * and the Update was not applied: sending it again is safe.
 */
async function retryLostUpdate<T>(send: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const lost = /unexpected workflow task failure/i.test(String((error as { cause?: unknown }).cause ?? error));
      if (!lost || attempt >= attempts) unwrapUpdateFailure(error);
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
