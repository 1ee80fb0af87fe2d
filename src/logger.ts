import pino, { type Logger } from 'pino';

/** The process-wide logger: JSON lines on stderr (stdout belongs to the CLI's own output). */
export function createLogger(level = process.env.BOOTWAVE_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'bootwave', level }, pino.destination(2));
}

export type { Logger };
