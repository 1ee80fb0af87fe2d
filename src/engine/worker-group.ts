import type { Worker } from '@temporalio/worker';

/**
 * The workers of one `bootwave worker`: the shared queue's (workflows and activities) and, with `--host`, the
 * host's queue's (activities only). They run, drain and stop together: one failing stops the others.
 */
export class WorkerGroup {
  constructor(readonly workers: readonly Worker[]) {}

  async run(): Promise<void> {
    const runs = this.workers.map((worker) => worker.run());
    try {
      await Promise.all(runs);
    } catch (error) {
      this.shutdown();
      await Promise.allSettled(runs);
      throw error;
    }
  }

  getState(): ReturnType<Worker['getState']> {
    return this.workers[0]!.getState();
  }

  shutdown(): void {
    for (const worker of this.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  }
}
