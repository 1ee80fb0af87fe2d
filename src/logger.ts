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

/**
 * bootwave's logger options: its name, the level, redaction of secret-bearing fields, errors in full (with their
 * stack unless `stacks` is false).
 */
export function loggerOptions(level: string, { stacks = true }: { stacks?: boolean } = {}): LoggerOptions {
  // The SDK logs failures under `error`: with the error serializer its message and type reach the line, not `{}`.
  const error = stacks ? pino.stdSerializers.err : withoutStack;
  return {
    name: 'bootwave',
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { error, err: error },
  };
}

function withoutStack(error: Error): Omit<pino.SerializedError, 'stack'> {
  const serialized: Partial<pino.SerializedError> = pino.stdSerializers.err(error);
  delete serialized.stack;
  return serialized as Omit<pino.SerializedError, 'stack'>;
}

/** The process-wide logger: JSON lines on stderr (stdout belongs to the CLI's own output). */
export function createLogger(
  level = process.env.BOOTWAVE_LOG_LEVEL ?? 'info',
  options: { stacks?: boolean } = {},
): Logger {
  return pino(loggerOptions(level, options), pino.destination(2));
}

export type { Logger };
