import type { DataConverter } from '@temporalio/common';
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
  const keys = codecKeyringFromEnv(env);
  if (!keys) return undefined;
  return { payloadCodecs: [new AesGcmCodec(keys, who)], failureConverterPath: encodedFailuresPath };
}
