import { connectionOptions, temporalSettingsFromEnv } from '../../src/config/temporal-settings';

const files: Record<string, string> = { '/ca.pem': 'CA', '/c.pem': 'CERT', '/c.key': 'KEY' };
const read = (path: string) => {
  if (!(path in files)) throw Object.assign(new Error('x'), { code: 'ENOENT' });
  return Buffer.from(files[path]!);
};
const settings = (env: Record<string, string>) => temporalSettingsFromEnv(env, read);

describe("Temporal connection settings from the environment (the temporal CLI's variable names)", () => {
  it('is plaintext by default, with the default namespace and task queue', () => {
    expect(settings({})).toEqual({ address: undefined, namespace: 'default', taskQueue: 'bootwave' });
  });

  it('reads mTLS material, a CA, a server name, the namespace and an API key', () => {
    expect(
      settings({
        TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'ns.acct',
        TEMPORAL_TLS_CERT: '/c.pem',
        TEMPORAL_TLS_KEY: '/c.key',
        TEMPORAL_TLS_CA: '/ca.pem',
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      }),
    ).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      namespace: 'ns.acct',
      taskQueue: 'bootwave',
      tls: {
        serverNameOverride: 'temporal.internal',
        serverRootCACertificate: Buffer.from('CA'),
        clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
      },
    });
    expect(settings({ TEMPORAL_TLS_CERT_DATA: 'C', TEMPORAL_TLS_KEY_DATA: 'K' }).tls).toEqual({
      clientCertPair: { crt: Buffer.from('C'), key: Buffer.from('K') },
    });
  });

  it('turns TLS on for an API key or TEMPORAL_TLS=true, off for TEMPORAL_TLS=false', () => {
    expect(settings({ TEMPORAL_API_KEY: 'k' })).toMatchObject({ tls: true, apiKey: 'k' });
    expect(settings({ TEMPORAL_TLS: 'true' }).tls).toBe(true);
    expect(settings({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: '/ca.pem' }).tls).toBeUndefined();
  });

  it.each([
    [
      { TEMPORAL_TLS_CERT: '/c.pem' },
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (a client certificate needs its key): only the certificate is set',
    ],
    [
      { TEMPORAL_TLS_KEY: '/c.key' },
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (a client certificate needs its key): only the key is set',
    ],
    [{ TEMPORAL_TLS_CA: '/missing.pem' }, 'TEMPORAL_TLS_CA: cannot read /missing.pem (ENOENT)'],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => settings(env)).toThrow(message);
  });

  it('applies TLS and the API key to the configured server only, never to a dev server bootwave runs itself', () => {
    const configured = settings({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_API_KEY: 'k' });
    expect(connectionOptions(configured, 'temporal:7233')).toEqual({
      address: 'temporal:7233',
      tls: true,
      apiKey: 'k',
    });
    expect(connectionOptions(settings({ TEMPORAL_API_KEY: 'k' }), '127.0.0.1:40000')).toEqual({
      address: '127.0.0.1:40000',
    });
  });
});
