import type { LiveBootStatus } from '../client/boot-client';
import type { BootView } from '../local-api/boot-api';
import { finishedPhases, type BootStatus } from '../contract/status';
import type { CliIo } from './cli-io';
import { pauseUnless } from './poll-wait';
import { phaseChanges, renderFrame } from './progress-view';

const pollIntervalMs = 250;

/**
 * Shows a boot's progress until it ends: a redrawn frame on a terminal, one line per phase change otherwise.
 * Returns the boot's final status (its workflow result).
 */
export async function watchBoot(handle: BootView, io: CliIo): Promise<BootStatus> {
  const result = handle.result();
  let finished = false;
  void result.finally(() => (finished = true)).catch(() => undefined);
  const draw = io.isTty ? await frameWriter(io) : undefined;
  const seen = new Map<string, string>();
  while (!finished) {
    let status: LiveBootStatus | undefined;
    try {
      status = await handle.status();
    } catch {
      // The first workflow task may not have run yet, or the worker is restarting: keep waiting.
    }
    if (status) {
      if (draw) draw(renderFrame(status, Date.now()));
      else for (const line of phaseChanges(seen, status, status.startedAtMs, Date.now())) io.out(line);
      if (finishedPhases.includes(status.phase)) break;
    }
    await pauseUnless(result, pollIntervalMs);
  }
  const final = await result;
  if (draw) draw.done(renderFrame(final, Date.now()));
  else for (const line of phaseChanges(seen, final, final.startedAtMs, Date.now())) io.out(line);
  return final;
}

type FrameWriter = ((frame: string) => void) & { done(frame: string): void };

/** log-update redraws the frame in place; it is ESM-only, hence the dynamic import. */
async function frameWriter(io: CliIo): Promise<FrameWriter> {
  const { createLogUpdate } = await import('log-update');
  const update = createLogUpdate(io.stdout);
  return Object.assign((frame: string) => update(frame), {
    done: (frame: string) => {
      update(frame);
      update.done();
    },
  });
}
