import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Runs `fn` with `folder` as the working directory, where a command given no file looks for compose.yaml. */
export async function inFolder<T>(folder: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.cwd();
  process.chdir(folder);
  try {
    return await fn();
  } finally {
    process.chdir(saved);
  }
}

/** `inFolder` in a fresh empty folder: a command given no file finds no compose.yaml wherever the tests run. */
export async function inEmptyFolder<T>(fn: () => Promise<T>): Promise<T> {
  const folder = mkdtempSync(join(tmpdir(), 'bootwave-empty-'));
  try {
    return await inFolder(folder, fn);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
