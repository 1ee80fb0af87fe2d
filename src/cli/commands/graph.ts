import { Option, type Command } from 'commander';
import { GraphFormats, renderGraph, type GraphFormat } from '../../plan/render-graph';
import type { CliIo } from '../cli-io';
import { loadPlanForCli } from '../load-plan-for-cli';

/** `graph <plan>`: waves, topological order and critical path, as text, Mermaid or DOT. */
export function registerGraph(program: Command, io: CliIo): void {
  program
    .command('graph <plan>')
    .description('show the waves, the topological order and the critical path of a plan')
    .addOption(new Option('--format <format>', 'output format').choices(GraphFormats).default('text'))
    .option('--profile <name...>', 'select services of these profiles')
    .action((file: string, flags: { format: GraphFormat; profile?: string[] }) => {
      const plan = loadPlanForCli(file, flags.profile, io);
      if (!plan) return void (process.exitCode = 1);
      io.out(renderGraph(plan, flags.format));
      process.exitCode = 0;
    });
}
