/** The codec's keys are configured wrongly (a malformed entry, a key of the wrong length). */
export class CodecConfigError extends Error {
  override name = 'CodecConfigError';
}

/**
 * A payload this process cannot decrypt: its key id is not among this process's keys, or the ciphertext fails
 * authentication. The message names the key id and what this process has, never key material.
 */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}
