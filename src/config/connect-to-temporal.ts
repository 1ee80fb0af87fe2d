import { Connection } from '@temporalio/client';
import type { TemporalTls } from './temporal-settings';
import { tlsHandshakeProblem } from './tls-handshake-problem';

/** A failed connection to Temporal, with the reason and what to change when it is known. */
export class TemporalConnectionError extends Error {
  override name = 'TemporalConnectionError';
}

/**
 * A client connection to `address`, over TLS and with an API key when given. A failure over TLS says why the
 * handshake failed (an untrusted CA, a name the certificate lacks, a refused client certificate) instead of the
 * SDK's "Failed to connect before the deadline".
 */
export async function connectToTemporal(options: {
  address: string;
  tls?: TemporalTls | true;
  apiKey?: string;
}): Promise<Connection> {
  try {
    return await Connection.connect({
      address: options.address,
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    });
  } catch (error) {
    throw await explainConnectFailure(error, options);
  }
}

/** The error to report for a failed connection (a client's or a worker's). */
export async function explainConnectFailure(
  error: unknown,
  options: { address: string; tls?: TemporalTls | true },
): Promise<Error> {
  const reason = reasonChain(error);
  if (!options.tls)
    return new TemporalConnectionError(`Failed to connect to Temporal at ${options.address}: ${reason}`, {
      cause: error,
    });
  if (/UNAUTHENTICATED|PERMISSION_DENIED/.test(reason))
    return new TemporalConnectionError(
      `Failed to connect to Temporal at ${options.address}: ${reason}: the server refused the credentials; check TEMPORAL_API_KEY (or the client certificate) and TEMPORAL_NAMESPACE`,
      { cause: error },
    );
  const problem = await tlsHandshakeProblem(options.address, options.tls);
  return new TemporalConnectionError(
    `Failed to connect to Temporal at ${options.address} over TLS: ${problem ?? reason}`,
    { cause: error },
  );
}

/** "Failed to connect to Temporal server: 16 UNAUTHENTICATED: invalid API key": the SDK keeps the reason in `cause`. */
function reasonChain(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current !== undefined && parts.length < 4;) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}
