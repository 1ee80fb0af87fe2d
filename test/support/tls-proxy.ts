import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import * as http2 from 'node:http2';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';

/** PEM files made with openssl for one test: a CA, a server certificate it signs, a client certificate it signs. */
export interface TestCertificates {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: trusting it instead of `ca` must fail. */
  otherCa: string;
}

/** Makes the certificates in `dir` with openssl; the server's certificate names `names` (DNS names) only. */
export function makeTestCertificates(dir: string, names: string[]): TestCertificates {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ca = (name: string) =>
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.pem`),
    );
  const signed = (name: string, ext: string) => {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
    );
    writeFileSync(file(`${name}.ext`), ext);
    openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('test-ca.pem'),
      '-CAkey',
      file('test-ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file(`${name}.ext`),
      '-out',
      file(`${name}.pem`),
    );
  };
  ca('test-ca');
  ca('other-ca');
  signed('server', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
  signed('client', 'extendedKeyUsage=clientAuth\n');
  return {
    ca: file('test-ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    otherCa: file('other-ca.pem'),
  };
}

/**
 * A TLS-terminating pipe in front of a plaintext gRPC server (the Temporal dev server cannot serve TLS itself):
 * TLS with ALPN `h2` on its side, the bytes as they are to `upstream`. With `requireClientCert`, a client must
 * present a certificate signed by the CA (mTLS).
 */
export async function startTlsProxy(options: {
  upstream: string;
  certs: TestCertificates;
  requireClientCert?: boolean;
}): Promise<{ address: string; close(): Promise<void> }> {
  const [host, port] = [
    options.upstream.slice(0, options.upstream.lastIndexOf(':')),
    Number(options.upstream.split(':').pop()),
  ];
  const server: Server = createServer(
    {
      cert: readFileSync(options.certs.serverCert),
      key: readFileSync(options.certs.serverKey),
      ca: readFileSync(options.certs.ca),
      ALPNProtocols: ['h2'],
      requestCert: options.requireClientCert ?? false,
      rejectUnauthorized: options.requireClientCert ?? false,
    },
    (socket) => {
      const upstream = connect({ host, port });
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    },
  );
  server.on('tlsClientError', () => undefined); // a refused handshake is what some tests want
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const open = new Set<Socket>();
  server.on('secureConnection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTP/2 (gRPC) proxy over TLS that admits only calls carrying `authorization: Bearer <apiKey>`, as Temporal
 * Cloud checks API keys; others get gRPC status 16 (UNAUTHENTICATED) without reaching `upstream`.
 */
export async function startApiKeyProxy(options: {
  upstream: string;
  certs: TestCertificates;
  apiKey: string;
}): Promise<{ address: string; close(): Promise<void> }> {
  const upstream = http2.connect(`http://${options.upstream}`);
  upstream.on('error', () => undefined);
  const server = http2.createSecureServer({
    cert: readFileSync(options.certs.serverCert),
    key: readFileSync(options.certs.serverKey),
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    if (headers.authorization !== `Bearer ${options.apiKey}`) {
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'invalid API key' },
        { endStream: true },
      );
      return;
    }
    const forwarded = Object.fromEntries(
      Object.entries(headers).filter(([name]) => !name.startsWith(':') || name === ':path' || name === ':method'),
    );
    const call = upstream.request(forwarded, { endStream: false });
    call.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    let trailers: http2.OutgoingHttpHeaders = {};
    call.on('response', (response) => {
      const { ':status': status, ...rest } = response;
      const trailersOnly = 'grpc-status' in rest;
      stream.respond(
        { ':status': status ?? 200, ...rest },
        trailersOnly ? { endStream: true } : { waitForTrailers: true },
      );
    });
    call.on('trailers', (received) => {
      trailers = Object.fromEntries(
        Object.entries(received).filter(([name]) => !name.startsWith(':')),
      ) as http2.OutgoingHttpHeaders;
    });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    stream.pipe(call);
    call.pipe(stream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        upstream.close();
        server.close(() => resolve());
      }),
  };
}
