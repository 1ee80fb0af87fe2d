import type { CliIo } from '../../src/cli/cli-io';
import { main } from '../../src/cli/main';

/** A CliIo that records what the CLI prints. */
export function captureIo(): CliIo & { stdoutText: () => string; stderrText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (line) => void out.push(line),
    err: (line) => void err.push(line),
    fail: (message) => {
      err.push(`bootwave: ${message}`);
      return 1;
    },
    isTty: false,
    stdout: process.stdout,
    stdoutText: () => out.join('\n'),
    stderrText: () => err.join('\n'),
  };
}

/** Runs the CLI in-process with `args` and returns its exit code and what it printed. */
export async function runCli(...args: string[]) {
  const io = captureIo();
  await main(['node', 'bootwave', ...args], io);
  return { code: process.exitCode, out: io.stdoutText(), err: io.stderrText() };
}
