#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { processIo, type CliIo } from './cli-io';
import { registerBootControl } from './commands/boot-control';
import { registerCodecServer } from './commands/codec-server';
import { registerDevAndWorker } from './commands/dev';
import { registerDown } from './commands/down';
import { registerGraph } from './commands/graph';
import { registerSchedule } from './commands/schedule';
import { registerStackControl } from './commands/stack-control';
import { registerUp } from './commands/up';
import { registerUpdate } from './commands/update';
import { registerValidate } from './commands/validate';
import { packageVersion } from './package-version';

/** Builds the `bootwave` program; each command registers itself from `commands/`. */
export function createProgram(io: CliIo): Command {
  const program = new Command('bootwave')
    .description('durable, dependency-ordered, health-gated boots of service stacks on Temporal')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
    });
  registerValidate(program, io);
  registerGraph(program, io);
  registerUp(program, io);
  registerBootControl(program, io);
  registerDown(program, io);
  registerUpdate(program, io);
  registerStackControl(program, io);
  registerSchedule(program, io);
  registerDevAndWorker(program, io);
  registerCodecServer(program, io);
  return program;
}

/** Runs the CLI; sets `process.exitCode` (0 ok, 1 user error, 2 usage) and never calls `process.exit`. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<void> {
  const program = createProgram(io);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; unknown commands, options and missing arguments are usage errors.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = io.fail(error instanceof Error ? error.message : String(error));
  }
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(`bootwave: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
