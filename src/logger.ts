import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Fields that may carry a secret, removed from every log line whatever logs them: bootwave never logs a secret
 * value, and this keeps a future log call, or metadata a library adds, from doing it by accident. Pino's paths match
 * one level of wildcard, so each field is listed at the top and one level down (the SDK's `meta` objects).
 */
const secretFields = [
  'env',
  'password',
  'token',
  'secret',
  'apiKey',
  'authorization',
  'Authorization',
  'cookie',
  'headers.authorization',
  'headers.Authorization',
  'headers.cookie',
  'tls.clientCertPair.key',
  'clientCertPair.key',
  'key',
];
export const redactedPaths = [...secretFields, ...secretFields.map((field) => `*.${field}`)];

/** bootwave's logger options: its name, the level, redaction of secret-bearing fields, errors in full. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    name: 'bootwave',
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    // The SDK logs failures under `error`: with the error serializer its message and type reach the line, not `{}`.
    serializers: { error: pino.stdSerializers.err, err: pino.stdSerializers.err },
  };
}

/** The process-wide logger: JSON lines on stderr (stdout belongs to the CLI's own output). */
export function createLogger(level = process.env.BOOTWAVE_LOG_LEVEL ?? 'info'): Logger {
  return pino(loggerOptions(level), pino.destination(2));
}

export type { Logger };
