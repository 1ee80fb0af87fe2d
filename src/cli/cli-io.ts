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
  // A reader that stops early (`bootwave list | head -2`) closes the pipe: what is left is dropped, as Unix tools
  // do, instead of an unhandled EPIPE with a stack trace.
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    out: (line) => void (closed || process.stdout.write(`${line}\n`)),
    err: (line) => process.stderr.write(`${line}\n`),
    fail: (message) => {
      process.stderr.write(`bootwave: ${message}\n`);
      return 1;
    },
    isTty: Boolean(process.stdout.isTTY),
    stdout: process.stdout,
  };
}
