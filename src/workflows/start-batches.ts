import { CancellationScope, condition, proxyActivities } from '@temporalio/workflow';
import type { BootActivities, StartServiceInput, StartServiceResult } from '../contract/activities';
import { startBatchActivityId } from '../contract/ids';
import type { ServiceSpec } from '../plan/types';
import { startBatchOptions } from './activity-options';

/**
 * A batch stays well inside one gRPC message and one activity's input (a process service's spec is small: its
 * command, environment and checks), and its starts share the worker's spawn helper, so a batch ends soon.
 */
const maxBatchServices = 100;
const maxBatchInputChars = 256 * 1024;

interface PendingStart {
  input: StartServiceInput;
  settle: (result: StartServiceResult | Promise<StartServiceResult>) => void;
}

/**
 * Sends the starts a wave releases in one workflow task as one `startServices` activity instead of one activity
 * each. At scale the engine's cost is per activity (its events, its dispatch, its completion and the workflow task
 * that hears it), and a wave of 125 services released at once spent it 125 times.
 *
 * Only local process services take part: their starts are a spawn each, short and alike, so none holds back the
 * others' results. A container's start may pull an image, and a Kubernetes apply may take long; those, and services
 * placed on a host, start on their own as before. A start that fails in a batch is started again on its own, with
 * the start's own retries and its own failure, so a batch changes how starts travel, never what they do. A lone
 * start is an ordinary `startService`.
 */
export class StartBatcher {
  private readonly queue: PendingStart[] = [];

  constructor(private readonly startAlone: (input: StartServiceInput) => Promise<StartServiceResult>) {}

  static canBatch(service: ServiceSpec): boolean {
    return service.target.driver === 'process' && service.host === undefined;
  }

  /** Queues a start for the next batch; it resolves as `startService` would. */
  start(input: StartServiceInput): Promise<StartServiceResult> {
    return new Promise((resolve) => this.queue.push({ input, settle: resolve }));
  }

  /** Sends the queued starts once per workflow task, until the wave is done and nothing is queued. */
  async run(done: () => boolean): Promise<void> {
    const sent: Promise<void>[] = [];
    for (;;) {
      await condition(() => this.queue.length > 0 || done());
      if (this.queue.length === 0) break;
      for (const batch of chunked(this.queue.splice(0))) sent.push(this.send(batch));
    }
    await Promise.all(sent);
  }

  private async send(batch: PendingStart[]): Promise<void> {
    const alone = (pending: PendingStart) =>
      pending.settle(CancellationScope.nonCancellable(() => this.startAlone(pending.input)));
    if (batch.length === 1) return alone(batch[0]!);
    const names = batch.map((pending) => pending.input.service.name);
    const { startServices } = proxyActivities<BootActivities>({
      ...startBatchOptions(),
      activityId: startBatchActivityId(names[0]!),
      summary: `start ${names.length} services: ${names.join(', ')}`.slice(0, 200),
    });
    const results = await CancellationScope.nonCancellable(() =>
      startServices({ starts: batch.map((pending) => pending.input) }),
    ).catch(() => []);
    batch.forEach((pending, i) => {
      const outcome = results[i];
      if (outcome !== undefined && 'started' in outcome) pending.settle(outcome.started);
      else alone(pending);
    });
  }
}

/** Consecutive slices within both limits; a start too large for any batch goes alone. */
function chunked(starts: PendingStart[]): PendingStart[][] {
  const batches: PendingStart[][] = [];
  let current: PendingStart[] = [];
  let chars = 0;
  for (const pending of starts) {
    const size = JSON.stringify(pending.input).length;
    if (current.length > 0 && (current.length === maxBatchServices || chars + size > maxBatchInputChars)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(pending);
    chars += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
