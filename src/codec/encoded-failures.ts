import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failures with their message and stack trace moved into an encoded payload, which the payload codec then
 * encrypts: a failed service's error quotes its last log lines, and those stay out of history in the clear too.
 * Loaded by path (the SDK's `failureConverterPath`): by workers and clients when the codec is on, and bundled into
 * the workflow code built for it (`workflow-bundle-encoded-failures.js`).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
