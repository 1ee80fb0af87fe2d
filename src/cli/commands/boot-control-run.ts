import { BootControlRefusedError, StackUnansweredError } from '../../client/client-errors';
import { bootWorkflowId } from '../../contract/ids';
import type { CliIo } from '../cli-io';
import { withBootApi, withStatusSource } from '../connect-for-command';
import { isWorkflowNotFound } from '../../client/workflow-reader';
import { bootListLines } from '../boot-list-view';
import { renderFrame } from '../progress-view';
import { planNameOf } from '../plan-name';
import { renderSupervision } from '../supervision-view';

/** `bootwave status`: returns the exit code. */
export async function status(target: string, flags: { id?: string; json?: boolean }, io: CliIo): Promise<number> {
  // The plan's name (a plan file is loaded for it, a bare word is the name): its boot and its supervised stack.
  const plan = await planNameOf(target, io);
  if (plan === undefined) return 1;
  const workflowId = flags.id ?? bootWorkflowId(plan);
  return withStatusSource(io, async (source) => {
    // The plan's supervised stack, when `bootwave up` started one: its live state after the boot. Read beside the
    // boot, at the same time. A stack no worker answers says so beside the boot's own status, which history alone
    // answers.
    const stack = source.stackStatus(plan).then(
      (status) => ({ status }),
      (error: unknown) => ({ error }),
    );
    const live = await source.bootStatus(workflowId).catch((error: unknown) => {
      if (isWorkflowNotFound(error)) throw new Error(`no boot ${workflowId} on this server (see \`bootwave list\`)`);
      throw error;
    });
    const read = await stack;
    if ('error' in read) {
      if (!(read.error instanceof StackUnansweredError)) throw read.error;
      io.err(`bootwave: ${read.error.message}`);
    }
    const supervision = 'status' in read ? read.status : undefined;
    if (flags.json) io.out(JSON.stringify(supervision ? { ...live, supervision } : live, null, 2));
    else io.out(renderFrame(live, Date.now()) + (supervision ? `\n${renderSupervision(supervision, Date.now())}` : ''));
    if (live.execution === undefined || live.execution === 'running' || live.execution === 'completed') return 0;
    // Terminated, timed out, failed by Temporal itself: the boot never applied its failure policy.
    const at = live.finishedAtMs ? ` at ${new Date(live.finishedAtMs).toISOString()}` : '';
    io.err(
      `boot ${workflowId} ${live.execution.replace(/-/g, ' ')}${at} without a final status; ` +
        'what it started may still run (`bootwave down` stops it)',
    );
    return 1;
  });
}

/** `bootwave cancel|pause|resume`: returns the exit code. */
export async function control(
  name: 'cancel' | 'pause' | 'resume',
  target: string,
  flags: { id?: string },
  io: CliIo,
): Promise<number> {
  const plan = flags.id ? undefined : await planNameOf(target, io);
  const workflowId = flags.id ?? (plan === undefined ? undefined : bootWorkflowId(plan));
  if (!workflowId) return 1;
  return withBootApi(io, {}, async ({ api }) => {
    const boot = api.boot(workflowId);
    try {
      const state = await (name === 'cancel'
        ? boot.cancel('cancelled from the CLI')
        : name === 'pause'
          ? boot.pause()
          : boot.resume());
      const holding = state.cancelRequested ? 'cancel requested' : state.paused ? 'paused' : 'not paused';
      io.out(`${name}: boot ${boot.workflowId} is ${state.phase}, ${holding}`);
      return 0;
    } catch (error) {
      // The boot refused (finished, rolling back, closed): its reason is the answer.
      if (!(error instanceof BootControlRefusedError)) throw error;
      return io.fail(`cannot ${name} boot ${boot.workflowId}: ${error.message}`);
    }
  });
}

/** `bootwave list`: returns the exit code. */
export async function list(flags: { plan?: string }, io: CliIo): Promise<number> {
  return withBootApi(io, {}, async ({ api }) => {
    for (const line of bootListLines(await api.list({ plan: flags.plan }))) io.out(line);
    return 0;
  });
}
