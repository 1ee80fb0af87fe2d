import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec';
import { parseCodecKeys } from '../../src/codec/codec-keys';
import { startCodecServer } from '../../src/codec/codec-server';

const codec = new AesGcmCodec(parseCodecKeys(`k1:${randomBytes(32).toString('base64')}`, 'test'), 'this codec server');
const b64 = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('base64');
let server: Awaited<ReturnType<typeof startCodecServer>>;

beforeAll(async () => {
  server = await startCodecServer({ codec, port: 0, corsOrigins: ['http://localhost:8233'] });
});
afterAll(() => server.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('codec server (Temporal codec-server protocol)', () => {
  it('decodes what the codec encoded, at /decode and under a namespace segment, as proto3 JSON', async () => {
    const payload = defaultPayloadConverter.toPayload({ password: 'hunter2' });
    const [sealed] = await codec.encode([payload]);
    const body = {
      payloads: [
        {
          metadata: {
            encoding: b64(sealed!.metadata!.encoding),
            'encryption-key-id': b64(sealed!.metadata!['encryption-key-id']),
          },
          data: b64(sealed!.data),
        },
      ],
    };
    for (const path of ['/decode', '/default/decode']) {
      const response = await post(path, body, { 'X-Namespace': 'default' });
      expect(response.status).toBe(200);
      const decoded = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
      expect(Buffer.from(decoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString())).toEqual({ password: 'hunter2' });
    }
  });

  it('encodes, and /decode of its answer gives the input back', async () => {
    const input = {
      payloads: [{ metadata: { encoding: b64(Buffer.from('json/plain')) }, data: b64(Buffer.from('"x"')) }],
    };
    const encoded = await (await post('/encode', input)).json();
    expect(await (await post('/decode', encoded)).json()).toEqual(input);
  });

  it("answers the Web UI's CORS preflight for its origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-namespace',
        },
      });
    const allowed = await preflight('http://localhost:8233');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says which key it lacks, refuses other methods and paths, and malformed bodies', async () => {
    const foreign = new AesGcmCodec(parseCodecKeys(`k9:${randomBytes(32).toString('base64')}`, 'test'));
    const [sealed] = await foreign.encode([defaultPayloadConverter.toPayload(1)]);
    const body = {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(sealed!.metadata!).map(([k, v]) => [k, b64(v)])),
          data: b64(sealed!.data),
        },
      ],
    };
    const response = await post('/decode', body);
    expect([response.status, ((await response.json()) as { message: string }).message]).toEqual([
      400,
      'a payload is encrypted with key "k9", which this codec server does not have (its keys: k1): add "k9" to BOOTWAVE_CODEC_KEYS',
    ]);
    expect((await fetch(`${server.url}/decode`)).status).toBe(405);
    expect((await post('/other', {})).status).toBe(404);
    expect((await post('/decode', { nope: 1 })).status).toBe(400);
  });
});
