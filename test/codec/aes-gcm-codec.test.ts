import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, encryptedEncoding, keyIdMetadata } from '../../src/codec/aes-gcm-codec';
import { codecKeyringFromEnv, parseCodecKeys } from '../../src/codec/codec-keys';

const key = () => randomBytes(32).toString('base64');
const [k1, k2] = [key(), key()];
const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('utf8');
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const secret = 'the-db-password-is-hunter2';

describe('AES-256-GCM payload codec', () => {
  it('round-trips payloads, which are ciphertext in between, labelled with the key id', async () => {
    const codec = new AesGcmCodec(parseCodecKeys(`k1:${k1}`, 'test'));
    const payloads = [plain({ env: { DB_PASSWORD: secret } }), plain(null), plain('x'.repeat(100_000))];
    const encoded = await codec.encode(payloads);
    for (const payload of encoded) {
      expect(text(payload.metadata?.encoding)).toBe(encryptedEncoding);
      expect(text(payload.metadata?.[keyIdMetadata])).toBe('k1');
    }
    expect(Buffer.from(encoded[0]!.data!).includes(secret)).toBe(false);
    expect(await codec.decode(encoded)).toEqual(payloads);
  });

  it('after a rotation, the new key encrypts and the old one still decrypts what it wrote', async () => {
    const before = new AesGcmCodec(parseCodecKeys(`k1:${k1}`, 'test'));
    const after = new AesGcmCodec(parseCodecKeys(`k2:${k2},k1:${k1}`, 'test'));
    const old = await before.encode([plain(secret)]);
    expect(await after.decode(old)).toEqual([plain(secret)]);
    const fresh = await after.encode([plain(secret)]);
    expect(text(fresh[0]!.metadata?.[keyIdMetadata])).toBe('k2');
    await expect(before.decode(fresh)).rejects.toThrow(
      'a payload is encrypted with key "k2", which this process does not have (its keys: k1): add "k2" to BOOTWAVE_CODEC_KEYS',
    );
  });

  it('passes payloads that were never encrypted through decode', async () => {
    const codec = new AesGcmCodec(parseCodecKeys(`k1:${k1}`, 'test'));
    expect(await codec.decode([plain({ a: 1 })])).toEqual([plain({ a: 1 })]);
  });

  it('refuses a tampered ciphertext, a relabelled key id, and different material under the same id', async () => {
    const codec = new AesGcmCodec(parseCodecKeys(`k1:${k1},k2:${k2}`, 'test'), 'this worker');
    const [sealed] = await codec.encode([plain(secret)]);
    const tampered = Buffer.from(sealed!.data!);
    tampered[20] = tampered[20]! ^ 1;
    const failure =
      'a payload encrypted with key "k1" failed authentication: it was altered, or key "k1" here is not the key that encrypted it';
    await expect(codec.decode([{ ...sealed!, data: tampered }])).rejects.toThrow(failure);
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [keyIdMetadata]: Buffer.from('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow('failed authentication');
    const impostor = new AesGcmCodec(parseCodecKeys(`k1:${k2}`, 'test'));
    await expect(impostor.decode([sealed!])).rejects.toThrow(failure);
  });
});

describe('codec keys', () => {
  it.each([
    ['', 'test: no keys (expected <id>:<base64 of 32 bytes>, ...)'],
    ['nocolon', 'test: key 1 is not <id>:<base64 of 32 bytes>'],
    [`k1:${k1},k1:${k2}`, 'test: key 2: id "k1" is listed twice'],
    ['k1:c2hvcnQ=', 'test: key 1 ("k1") must be 32 bytes in base64 (e.g. `openssl rand -base64 32`), got 5 bytes'],
    [`bad id:${k1}`, 'test: key 1: invalid id "bad id" (letters, digits, ".", "_", "-"; at most 64)'],
  ])('refuses %j with a message that quotes no key material', (keys, message) => {
    expect(() => parseCodecKeys(keys, 'test')).toThrow(message);
  });

  it('reads keys from the environment or a key file (comments and lines), and is off without either', () => {
    expect(codecKeyringFromEnv({})).toBeUndefined();
    expect(codecKeyringFromEnv({ BOOTWAVE_CODEC_KEYS: `a:${k1}, b:${k2}` })?.encrypting.id).toBe('a');
    const ring = codecKeyringFromEnv(
      { BOOTWAVE_CODEC_KEY_FILE: '/keys' },
      () => `# rotated today\nnew:${k2}\nold:${k1}\n`,
    );
    expect([ring?.encrypting.id, [...(ring?.byId.keys() ?? [])]]).toEqual(['new', ['new', 'old']]);
    expect(() =>
      codecKeyringFromEnv({ BOOTWAVE_CODEC_KEY_FILE: '/nope' }, () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      }),
    ).toThrow('BOOTWAVE_CODEC_KEY_FILE: cannot read /nope (ENOENT)');
  });
});
