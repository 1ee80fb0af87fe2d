import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { codecKeyringFromEnv } from './codec-keys';

/** The failure converter module that encodes failure messages (`failureConverterPath` of the SDK). */
export const encodedFailuresPath = require.resolve('./encoded-failures');

/**
 * The data converter of every client and worker bootwave builds: with codec keys configured
 * (`BOOTWAVE_CODEC_KEYS` or `BOOTWAVE_CODEC_KEY_FILE`), every payload bootwave writes to Temporal (workflow and
 * activity inputs and results, signals, queries, Updates, heartbeats, memos) is encrypted; undefined (the SDK's
 * default) without keys. Failure messages and stack traces are encrypted too (`encoded-failures.ts`); workers then
 * run the workflow code bundled with that failure converter (`workflowSource`).
 */
export function bootwaveDataConverter(
  env: Readonly<Record<string, string | undefined>> = process.env,
  who?: string,
): DataConverter | undefined {
  const codec = bootwavePayloadCodec(env, who);
  return codec ? { payloadCodecs: [codec], failureConverterPath: encodedFailuresPath } : undefined;
}

/** The data converter's payload codec alone: for a reader that decodes payloads without the SDK's converter. */
export function bootwavePayloadCodec(
  env: Readonly<Record<string, string | undefined>> = process.env,
  who?: string,
): PayloadCodec | undefined {
  const keys = codecKeyringFromEnv(env);
  return keys ? new AesGcmCodec(keys, who) : undefined;
}
