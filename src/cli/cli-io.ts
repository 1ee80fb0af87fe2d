/** Where the CLI writes: the real terminal in `main`, buffers in tests. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Prints a user-facing error (no stack trace) and returns the exit code 1. */
  fail(message: string): number;
  isTty: boolean;
  stdout: NodeJS.WritableStream;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    fail: (message) => {
      process.stderr.write(`bootwave: ${message}\n`);
      return 1;
    },
    isTty: Boolean(process.stdout.isTTY),
    stdout: process.stdout,
  };
}
