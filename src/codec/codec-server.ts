import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

export interface CodecServerOptions {
  codec: PayloadCodec;
  port: number;
  host?: string;
  /** Origins allowed to call from a browser (the Web UI's, e.g. http://localhost:8233); none: no CORS headers. */
  corsOrigins?: readonly string[];
  /** Told of each request (path, status, payload count), never of payload contents. */
  onRequest?: (line: { method: string; path: string; status: number; payloads?: number }) => void;
}

/** proto3 JSON of a payload: every bytes field (metadata values, data) base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** A body of at most this many bytes: Temporal caps a payload at 2 MB, and the UI sends a page of them. */
const maxBodyBytes = 64 * 1024 * 1024;

/**
 * Temporal's codec-server protocol: `POST /encode` and `POST /decode` (also under a namespace segment,
 * `/<namespace>/decode`, as the CLI's `--codec-endpoint http://host/{namespace}` calls it) take and answer
 * `{ "payloads": [...] }`; CORS preflight for the Web UI's origin. Keys stay in this process.
 */
export async function startCodecServer(options: CodecServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const origins = new Set(options.corsOrigins ?? []);
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) =>
      reply(response, 500, { message: error instanceof Error ? error.message : String(error) }),
    );
  });

  const reply = (response: ServerResponse, status: number, body?: unknown) => {
    if (!response.headersSent) {
      response.statusCode = status;
      if (body !== undefined) response.setHeader('Content-Type', 'application/json');
    }
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://codec').pathname;
    const origin = request.headers.origin;
    if (origin && origins.has(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Vary', 'Origin');
    }
    const operation = /^(?:\/[^/]+)?\/(encode|decode)\/?$/.exec(path)?.[1];
    const done = (status: number, body?: unknown, payloads?: number) => {
      reply(response, status, body);
      options.onRequest?.({
        method: request.method ?? '',
        path,
        status,
        ...(payloads === undefined ? {} : { payloads }),
      });
    };
    if (!operation) return done(404, { message: `unknown path ${path}: POST /encode or /decode` });
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      response.setHeader('Access-Control-Max-Age', '600');
      return done(200);
    }
    if (request.method !== 'POST') return done(405, { message: `${request.method} ${path}: only POST` });
    let payloads: Payload[];
    try {
      payloads = fromJson(JSON.parse((await readBody(request)).toString('utf8')));
    } catch (error) {
      return done(400, { message: `bad request: ${error instanceof Error ? error.message : String(error)}` });
    }
    try {
      const converted =
        operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      done(200, { payloads: converted.map(toJson) }, payloads.length);
    } catch (error) {
      // A payload this server cannot decrypt: the message names the key id it lacks.
      done(400, { message: error instanceof Error ? error.message : String(error) }, payloads.length);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`body larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function fromJson(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw new Error('expected {"payloads": [...]}');
  return list.map((item: JsonPayload) => ({
    metadata: Object.fromEntries(
      Object.entries(item.metadata ?? {}).map(([key, value]) => [key, new Uint8Array(Buffer.from(value, 'base64'))]),
    ),
    data: new Uint8Array(Buffer.from(item.data ?? '', 'base64')),
  }));
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
