import { renderGraph, type GraphFormat } from '../../plan/render-graph';
import type { CliIo } from '../cli-io';
import { loadPlanForCli } from '../load-plan-for-cli';
import type { PlanSource } from '../plan-and-profiles';

/** `bootwave graph`: returns the exit code. */
export function graph(source: PlanSource, flags: { format: GraphFormat; profile?: string[] }, io: CliIo): number {
  const plan = loadPlanForCli(source, flags.profile, io);
  if (!plan) return 1;
  io.out(renderGraph(plan, flags.format));
  return 0;
}
