import { Option, type Command } from 'commander';
import { GraphFormats, type GraphFormat } from '../../plan/render-graph';
import type { CliIo } from '../cli-io';
import { composeFileOption, planArgument } from '../plan-and-profiles';

/** `graph <plan>`: waves, topological order and critical path, as text, Mermaid or DOT. */
export function registerGraph(program: Command, io: CliIo): void {
  composeFileOption(
    program
      .command('graph [plan]')
      .description('show the waves, the topological order and the critical path of a plan')
      .addOption(new Option('--format <format>', 'output format').choices(GraphFormats).default('text'))
      .option('--profile <name...>', 'select services of these profiles'),
  ).action(async (given: string | undefined, flags: { format: GraphFormat; profile?: string[]; file?: string[] }) => {
    // `--profile web plan.yaml`: the variadic option takes the file too; a trailing file name is the plan.
    const argument = planArgument('graph', given, flags, io);
    if (!argument) return;
    // Loaded when run: `bootwave --help` and the other commands do not pay for the plan loader.
    const { graph } = await import('./graph-run.js');
    process.exitCode = graph(argument.source, argument.flags, io);
  });
}
