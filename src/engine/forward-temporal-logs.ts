import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

let installed = false;

/** Sends the SDK's, the workflows' and the activities' logs (with their boot/wave/service metadata) to pino. */
export function forwardTemporalLogs(logger: Logger, level: LogLevel = 'INFO'): void {
  if (installed) return; // the runtime is process-wide and can be installed once
  installed = true;
  try {
    Runtime.install({
      logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) =>
        logger[pinoLevel[entryLevel]](meta ?? {}, message),
      ),
    });
  } catch {
    // The embedding program (a test runner, a service using bootwave's worker) installed its own runtime first.
  }
}
