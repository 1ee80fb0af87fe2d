import { readFileSync } from 'node:fs';

/**
 * How bootwave reaches its Temporal: environment first (the variable names the `temporal` CLI reads), then these
 * defaults. docs/security.md describes TLS, mTLS and API keys.
 */
export interface TemporalSettings {
  /** An existing server; when absent the CLI starts the embedded dev server. */
  address?: string;
  namespace: string;
  taskQueue: string;
  /** TLS to `address` (never to the embedded dev server): `true` trusts the system's CAs. Absent: plaintext. */
  tls?: TemporalTls | true;
  /** Temporal Cloud's (or a proxy's) API key, sent as a bearer token; implies TLS. */
  apiKey?: string;
}

/** The SDK's TLS options (the client's and the worker's connections take the same shape). */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** A connection setting that cannot be used (a certificate without its key, an unreadable file). */
export class TemporalSettingsError extends Error {
  override name = 'TemporalSettingsError';
}

export const defaultTaskQueue = 'bootwave';

type Env = Readonly<Record<string, string | undefined>>;

export function temporalSettingsFromEnv(
  env: Env = process.env,
  readFile: (path: string) => Buffer = (path) => readFileSync(path),
): TemporalSettings {
  const address = env.TEMPORAL_ADDRESS || undefined;
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const tls = tlsFromEnv(env, readFile, apiKey !== undefined);
  return {
    address,
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.BOOTWAVE_TASK_QUEUE || defaultTaskQueue,
    ...(tls ? { tls } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}

/**
 * `TEMPORAL_TLS_CERT`/`_KEY` (files, or `_CERT_DATA`/`_KEY_DATA` as PEM text) for mTLS, `TEMPORAL_TLS_CA` (or
 * `_CA_DATA`) for a private CA, `TEMPORAL_TLS_SERVER_NAME` when the certificate names another host; any of them,
 * `TEMPORAL_TLS=true` or an API key turns TLS on, `TEMPORAL_TLS=false` turns it off.
 */
function tlsFromEnv(env: Env, readFile: (path: string) => Buffer, hasApiKey: boolean): TemporalTls | true | undefined {
  const material = (name: string): Buffer | undefined => {
    const inline = env[`${name}_DATA`];
    if (inline) return Buffer.from(inline);
    const path = env[name];
    if (!path) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new TemporalSettingsError(`${name}: cannot read ${path} (${code})`);
    }
  };
  const crt = material('TEMPORAL_TLS_CERT');
  const key = material('TEMPORAL_TLS_KEY');
  const ca = material('TEMPORAL_TLS_CA');
  const serverName = env.TEMPORAL_TLS_SERVER_NAME || undefined;
  if ((crt === undefined) !== (key === undefined))
    throw new TemporalSettingsError(
      `TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (a client certificate needs its key): only ${crt ? 'the certificate' : 'the key'} is set`,
    );
  const flag = env.TEMPORAL_TLS?.toLowerCase();
  if (flag === 'false' || flag === '0') return undefined;
  const tls: TemporalTls = {
    ...(serverName ? { serverNameOverride: serverName } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
  if (Object.keys(tls).length > 0) return tls;
  return flag === 'true' || flag === '1' || hasApiKey ? true : undefined;
}

/**
 * The options of a connection to `address` under these settings: TLS and the API key apply to the configured
 * server only, never to a dev server bootwave runs itself on 127.0.0.1.
 */
export function connectionOptions(
  settings: TemporalSettings,
  address: string,
): { address: string; tls?: TemporalTls | true; apiKey?: string } {
  if (settings.address === undefined || address !== settings.address) return { address };
  return {
    address,
    ...(settings.tls ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  };
}
