/**
 * A secret reference the worker could not resolve. The message names the reference (and the variable or file it
 * was for), never a value. Retryable: another worker may have the variable or file, and a Kubernetes Secret may be
 * created a moment later; the start's own timeout bounds the retries.
 */
export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError';
}
