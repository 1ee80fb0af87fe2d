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

/**
 * Sends the SDK's, the workflows' and the activities' logs (with their boot/wave/service metadata) to pino, and the
 * native core's too (from `coreLevel` up): left to itself, the core prints its own lines on stdout, which belongs to
 * the CLI's output.
 */
export function forwardTemporalLogs(logger: Logger, level: LogLevel = 'INFO', coreLevel: LogLevel = level): void {
  if (installed) return; // the runtime is process-wide and can be installed once
  installed = true;
  try {
    Runtime.install({
      logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) =>
        logger[pinoLevel[entryLevel]](meta ?? {}, message),
      ),
      telemetryOptions: { logging: { filter: { core: coreLevel, other: coreLevel }, forward: {} } },
    });
  } catch {
    // The embedding program (a test runner, a service using bootwave's worker) installed its own runtime first.
  }
}
