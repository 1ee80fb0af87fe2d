import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { codecKeyringFromEnv } from './codec-keys';

/**
 * The data converter of every client and worker bootwave builds: with codec keys configured
 * (`BOOTWAVE_CODEC_KEYS` or `BOOTWAVE_CODEC_KEY_FILE`), every payload bootwave writes to Temporal (workflow and
 * activity inputs and results, signals, queries, Updates, heartbeats, memos) is encrypted; undefined (the SDK's
 * default) without keys. Failure messages stay readable: encrypting them needs a failure converter bundled into the
 * workflow code (docs/security.md says what that leaves in the clear).
 */
export function bootwaveDataConverter(
  env: Readonly<Record<string, string | undefined>> = process.env,
  who?: string,
): DataConverter | undefined {
  const keys = codecKeyringFromEnv(env);
  if (!keys) return undefined;
  return { payloadCodecs: [new AesGcmCodec(keys, who)] };
}
