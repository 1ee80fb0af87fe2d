import type { CliIo } from '../cli-io';
import { withCommandConnection } from '../connect-for-command';
import { loadPlanForCli } from '../load-plan-for-cli';
import type { PlanSource } from '../plan-and-profiles';

/** `bootwave down`: the teardown workflow over the whole plan; returns the exit code. */
export async function down(
  source: PlanSource,
  flags: { profile?: string[]; worker: boolean },
  io: CliIo,
): Promise<number> {
  const plan = loadPlanForCli(source, flags.profile, io, 'nothing was stopped');
  if (!plan) return 1;
  const result = await withCommandConnection(io, { worker: flags.worker }, ({ client }) => client.down(plan));
  for (const name of result.stopped) io.out(`■ ${name} stopped`);
  if (result.absent.length > 0) io.out(`  not running: ${result.absent.join(', ')}`);
  for (const failure of result.failed) io.err(`✖ ${failure.service}: ${failure.error}`);
  return result.failed.length > 0 ? 1 : 0;
}
