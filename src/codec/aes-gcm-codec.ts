import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { CodecKeyring } from './codec-keys';
import { PayloadDecryptionError } from './codec-errors';

/** The metadata of an encrypted payload, as Temporal's samples name it, so tools recognise ciphertext. */
export const encryptedEncoding = 'binary/encrypted';
export const keyIdMetadata = 'encryption-key-id';
export const cipherMetadata = 'encryption-cipher';
const cipher = 'AES-256-GCM';
const ivBytes = 12;
const tagBytes = 16;

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * Encrypts every payload whole (its metadata and data) with AES-256-GCM under the keyring's first key; the key id
 * travels in the encrypted payload's metadata, so any key of the ring decrypts. Payloads that are not encrypted
 * (written before the codec was turned on) pass through decode unchanged.
 */
export class AesGcmCodec implements PayloadCodec {
  constructor(
    private readonly keys: CodecKeyring,
    /** Who is decrypting, for messages: "this worker", "this client", "the codec server". */
    private readonly who = 'this process',
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys.encrypting;
    return payloads.map((payload) => {
      const iv = randomBytes(ivBytes);
      const aes = createCipheriv('aes-256-gcm', key, iv);
      // The key id is authenticated with the ciphertext: a payload relabelled with another id fails.
      aes.setAAD(utf8(id));
      const sealed = Buffer.concat([iv, aes.update(serialize(payload)), aes.final(), aes.getAuthTag()]);
      return {
        metadata: { encoding: utf8(encryptedEncoding), [keyIdMetadata]: utf8(id), [cipherMetadata]: utf8(cipher) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== encryptedEncoding) return payload;
      const id = text(payload.metadata?.[keyIdMetadata]) ?? '';
      const entry = this.keys.byId.get(id);
      if (!entry)
        throw new PayloadDecryptionError(
          `a payload is encrypted with key "${id}", which ${this.who} does not have (its keys: ${[...this.keys.byId.keys()].join(', ')}): add "${id}" to BOOTWAVE_CODEC_KEYS`,
        );
      const data = Buffer.from(payload.data ?? new Uint8Array());
      try {
        const aes = createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, ivBytes));
        aes.setAAD(utf8(id));
        aes.setAuthTag(data.subarray(data.length - tagBytes));
        return deserialize(Buffer.concat([aes.update(data.subarray(ivBytes, data.length - tagBytes)), aes.final()]));
      } catch {
        throw new PayloadDecryptionError(
          `a payload encrypted with key "${id}" failed authentication: it was altered, or key "${id}" here is not the key that encrypted it`,
        );
      }
    });
  }
}

/** The payload as JSON with base64 bytes: enough to restore it exactly, and no protobuf dependency. */
function serialize(payload: Payload): Buffer {
  const metadata = Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  );
  return Buffer.from(
    JSON.stringify({ metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') }),
  );
}

function deserialize(bytes: Buffer): Payload {
  const parsed = JSON.parse(bytes.toString('utf8')) as { metadata: Record<string, string>; data: string };
  return {
    metadata: Object.fromEntries(
      Object.entries(parsed.metadata).map(([key, value]) => [key, new Uint8Array(Buffer.from(value, 'base64'))]),
    ),
    data: new Uint8Array(Buffer.from(parsed.data, 'base64')),
  };
}
