import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { TemporalTls } from './temporal-settings';

/**
 * What goes wrong in a TLS handshake with `address` under these settings, with what to change; undefined when the
 * handshake succeeds. The SDK's own error for a failed TLS connection is only "Failed to connect before the
 * deadline": this makes the same handshake with Node's TLS to say why.
 */
export async function tlsHandshakeProblem(
  address: string,
  tls: TemporalTls | true,
  timeoutMs = 10_000,
): Promise<string | undefined> {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(colon + 1));
  const settings = tls === true ? {} : tls;
  const serverName = settings.serverNameOverride ?? (isIP(host) ? undefined : host);
  const problem = await new Promise<string | undefined>((resolve) => {
    const socket = connect({
      host,
      port,
      ALPNProtocols: ['h2'],
      ...(serverName ? { servername: serverName } : {}),
      ...(settings.serverRootCACertificate ? { ca: settings.serverRootCACertificate } : {}),
      ...(settings.clientCertPair ? { cert: settings.clientCertPair.crt, key: settings.clientCertPair.key } : {}),
    });
    const done = (value: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(`no TLS handshake within ${timeoutMs} ms`), timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(`${error.message}${error.code ? ` (${error.code})` : ''}`),
    );
    // With TLS 1.3 a server refuses a client certificate after the client's side of the handshake: wait for its
    // alert, or for it to close the connection (a server that accepted waits for the client's first bytes).
    socket.once('secureConnect', () => {
      socket.once('close', () => done('the server closed the connection after the handshake (certificate required)'));
      setTimeout(() => done(undefined), 2_000);
    });
  });
  return problem === undefined ? undefined : `${problem}${hintFor(problem)}`;
}

function hintFor(problem: string): string {
  if (/self[- ]signed|unable to (get|verify)|UNABLE_TO|CERT_UNTRUSTED|DEPTH_ZERO/i.test(problem))
    return ": the server's certificate is not signed by a CA this process trusts; set TEMPORAL_TLS_CA to the CA's PEM file";
  if (/altnames|ERR_TLS_CERT_ALTNAME/i.test(problem))
    return ': the certificate does not name this host; set TEMPORAL_TLS_SERVER_NAME to a name it has';
  if (
    /certificate required|alert number 116|handshake failure|alert number 40|bad certificate|unknown ca/i.test(problem)
  )
    return ': the server refused the client certificate (or its absence); set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY to a certificate its CA signed';
  if (/wrong version number|packet length too long|ERR_SSL_WRONG_VERSION/i.test(problem))
    return ': the server does not speak TLS here; unset the TEMPORAL_TLS_* variables (or TEMPORAL_TLS=false) for a plaintext server';
  return '';
}
