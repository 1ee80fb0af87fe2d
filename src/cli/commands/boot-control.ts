import { existsSync } from 'node:fs';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import { BootClient, BootControlRefusedError } from '../../client/boot-client';
import { bootWorkflowId } from '../../contract/ids';
import { temporalSettingsFromEnv } from '../../config/temporal-settings';
import { connectOrStartTemporal } from '../../engine/embedded-temporal';
import type { CliIo } from '../cli-io';
import { loadPlanForCli } from '../load-plan-for-cli';
import { renderFrame } from '../progress-view';
import { renderSupervision } from '../supervision-view';
import { liveSupervision, planNameOf } from '../live-supervision';

/** The plan's supervised stack, when there is one (`bootwave up` starts it; `--no-supervise` does not). */
async function liveSupervisionOf(client: BootClient, target: string, io: CliIo) {
  const plan = planNameOf(target, io);
  return plan === undefined ? undefined : liveSupervision(client, plan);
}

/** A boot's workflow ID: --id, else from the plan's name (a plan file is loaded for it, a bare word is the name). */
function workflowIdOf(target: string, id: string | undefined, io: CliIo): string | undefined {
  if (id) return id;
  if (!existsSync(target)) return bootWorkflowId(target);
  const plan = loadPlanForCli(target, undefined, io);
  return plan && bootWorkflowId(plan.name);
}

export async function withClient<T>(io: CliIo, fn: (client: BootClient) => Promise<T>): Promise<T> {
  const endpoint = await connectOrStartTemporal(process.env, (line) => io.err(line));
  const settings = temporalSettingsFromEnv();
  const client = await BootClient.connect({
    address: endpoint.address,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
  });
  try {
    return await fn(client);
  } finally {
    await client.close();
    await endpoint.stop();
  }
}

/** `status`, `cancel`, `pause`, `resume`, `list`: talk to boots that run on the server. */
export function registerBootControl(program: Command, io: CliIo): void {
  program
    .command('status <plan>')
    .description('show a boot: every wave and service, with live probe progress')
    .option('--id <workflowId>', 'the boot’s workflow ID')
    .option('--json', 'print the status as JSON')
    .action(async (target: string, flags: { id?: string; json?: boolean }) =>
      withClient(io, async (client) => {
        const workflowId = workflowIdOf(target, flags.id, io);
        if (!workflowId) return void (process.exitCode = 1);
        const status = await client
          .boot(workflowId)
          .status()
          .catch((error: unknown) => {
            if (error instanceof WorkflowNotFoundError)
              throw new Error(`no boot ${workflowId} on this server (see \`bootwave list\`)`);
            throw error;
          });
        const supervision = await liveSupervisionOf(client, target, io);
        if (flags.json) io.out(JSON.stringify(supervision ? { ...status, supervision } : status, null, 2));
        else
          io.out(
            renderFrame(status, Date.now()) + (supervision ? `\n${renderSupervision(supervision, Date.now())}` : ''),
          );
      }),
    );
  for (const [name, description] of [
    ['cancel', 'stop starting services, then apply the failure policy'],
    ['pause', 'hold before starting more services'],
    ['resume', 'continue a paused boot'],
  ] as const) {
    program
      .command(`${name} <plan>`)
      .description(description)
      .option('--id <workflowId>', 'the boot’s workflow ID')
      .action(async (target: string, flags: { id?: string }) =>
        withClient(io, async (client) => {
          const workflowId = workflowIdOf(target, flags.id, io);
          if (!workflowId) return void (process.exitCode = 1);
          const boot = client.boot(workflowId);
          try {
            const state = await (name === 'cancel'
              ? boot.cancel('cancelled from the CLI')
              : name === 'pause'
                ? boot.pause()
                : boot.resume());
            const holding = state.cancelRequested ? 'cancel requested' : state.paused ? 'paused' : 'not paused';
            io.out(`${name}: boot ${boot.workflowId} is ${state.phase}, ${holding}`);
          } catch (error) {
            // The boot refused (finished, rolling back): its reason is the answer.
            if (!(error instanceof BootControlRefusedError)) throw error;
            process.exitCode = io.fail(`cannot ${name} boot ${boot.workflowId}: ${error.message}`);
          }
        }),
      );
  }
  program
    .command('list')
    .description('list boots, newest first')
    .option('--plan <name>', 'only boots of this plan')
    .action(async (flags: { plan?: string }) =>
      withClient(io, async (client) => {
        for (const boot of await client.list({ plan: flags.plan })) {
          io.out(`${boot.workflowId}  ${boot.status.padEnd(10)}  ${boot.startTime.toISOString()}  ${boot.plan ?? ''}`);
        }
      }),
    );
}
