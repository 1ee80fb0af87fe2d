import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BootClient } from '../../src/client/boot-client';
import { grpcWorkflowReader, TemporalUnreachableError } from '../../src/client/grpc-workflow-reader';
import { connectionOptions, temporalSettingsFromEnv } from '../../src/config/temporal-settings';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { loadPlan } from '../../src/plan/load-plan';
import { uniquePlanName } from '../support/docker';
import { healthService, randomTestPort } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { makeTestCertificates, startApiKeyProxy, startTlsProxy, type TestCertificates } from '../support/tls-proxy';
import { WorkerProcess } from '../support/worker-process';

let certs: TestCertificates;
let tls: Awaited<ReturnType<typeof startTlsProxy>>;
let mtls: Awaited<ReturnType<typeof startTlsProxy>>;

beforeAll(async () => {
  // The server's certificate names temporal.test only: connecting to 127.0.0.1 needs TEMPORAL_TLS_SERVER_NAME.
  certs = makeTestCertificates(freshDir('tls'), ['temporal.test']);
  tls = await startTlsProxy({ upstream: requireTestEnv('address'), certs });
  mtls = await startTlsProxy({ upstream: requireTestEnv('address'), certs, requireClientCert: true });
});

afterAll(async () => {
  await tls.close();
  await mtls.close();
});

/** Connects as every bootwave command does (settings from these variables, `connectionOptions`) and lists boots. */
async function listWith(env: Record<string, string>): Promise<unknown[]> {
  const settings = temporalSettingsFromEnv(env);
  const client = await BootClient.connect({ ...connectionOptions(settings, settings.address!), taskQueue: 'tls' });
  try {
    return await client.list();
  } finally {
    await client.close();
  }
}

/**
 * `bootwave status`'s own gRPC reader, connected from these variables: when a worker last polled a queue nobody
 * polls (undefined) once it reached the server; a `TemporalUnreachableError` when it was refused.
 */
async function readWith(env: Record<string, string>): Promise<unknown> {
  const settings = temporalSettingsFromEnv(env);
  const reader = grpcWorkflowReader(settings, settings.address!, undefined);
  try {
    return await reader.lastPolledAt(uniqueTaskQueue('nobody'));
  } finally {
    reader.close();
  }
}

const serverName = { TEMPORAL_TLS_SERVER_NAME: 'temporal.test' };
const clientCert = () => ({ TEMPORAL_TLS_CERT: certs.clientCert, TEMPORAL_TLS_KEY: certs.clientKey });
const prefix = (address: string) => `Failed to connect to Temporal at ${address} over TLS: `;

describe('connections to Temporal over TLS', () => {
  it('connects through a TLS endpoint trusting its CA; another CA fails saying to set TEMPORAL_TLS_CA', async () => {
    const env = { TEMPORAL_ADDRESS: tls.address, ...serverName };
    expect(await listWith({ ...env, TEMPORAL_TLS_CA: certs.ca })).toEqual(expect.any(Array));
    expect(await readWith({ ...env, TEMPORAL_TLS_CA: certs.ca })).toBeUndefined();
    await expect(readWith({ ...env, TEMPORAL_TLS_CA: certs.otherCa })).rejects.toBeInstanceOf(TemporalUnreachableError);
    const failure = listWith({ ...env, TEMPORAL_TLS_CA: certs.otherCa });
    await expect(failure).rejects.toThrow(prefix(tls.address));
    await expect(failure).rejects.toThrow(
      "the server's certificate is not signed by a CA this process trusts; set TEMPORAL_TLS_CA to the CA's PEM file",
    );
  });

  it('checks the certificate against TEMPORAL_TLS_SERVER_NAME; without it, says the certificate does not name the host', async () => {
    const failure = listWith({ TEMPORAL_ADDRESS: tls.address, TEMPORAL_TLS_CA: certs.ca });
    await expect(failure).rejects.toThrow(prefix(tls.address));
    await expect(failure).rejects.toThrow(
      'the certificate does not name this host; set TEMPORAL_TLS_SERVER_NAME to a name it has',
    );
  });

  it('mTLS: a server that requires a client certificate refuses a client without one, with a message saying so', async () => {
    const env = { TEMPORAL_ADDRESS: mtls.address, TEMPORAL_TLS_CA: certs.ca, ...serverName };
    expect(await listWith({ ...env, ...clientCert() })).toEqual(expect.any(Array));
    // `status`'s own reader too: through with the certificate, refused without (the SDK's client then explains).
    expect(await readWith({ ...env, ...clientCert() })).toBeUndefined();
    await expect(readWith(env)).rejects.toBeInstanceOf(TemporalUnreachableError);
    const failure = listWith(env);
    await expect(failure).rejects.toThrow(prefix(mtls.address));
    await expect(failure).rejects.toThrow('the server refused the client certificate (or its absence)');
  });

  it('a worker and a client, both over mTLS, boot a plan', async () => {
    const dir = freshDir('mtls-boot');
    const port = await randomTestPort();
    const file = join(dir, 'plan.yaml');
    writeFileSync(
      file,
      stringify({
        name: uniquePlanName('mtls'),
        services: {
          api: {
            process: { command: ['node', healthService, '--name', 'api', '--port', String(port)] },
            health: { check: { kind: 'http', url: `http://127.0.0.1:${port}/health` }, startInterval: '50ms' },
          },
        },
      }),
    );
    const loaded = loadPlan(file, { env: {} });
    if (!loaded.ok) throw new Error('plan');
    const env = { TEMPORAL_ADDRESS: mtls.address, TEMPORAL_TLS_CA: certs.ca, ...serverName, ...clientCert() };
    const taskQueue = uniqueTaskQueue('mtls');
    const worker = await WorkerProcess.start({
      taskQueue,
      logFile: join(dir, 'worker.log'),
      address: mtls.address,
      env,
    });
    const settings = temporalSettingsFromEnv(env);
    const client = await BootClient.connect({ ...connectionOptions(settings, mtls.address), taskQueue });
    try {
      await worker.started();
      const result = await (await client.start(loaded.plan, { workflowId: `${loaded.plan.name}-boot` })).result();
      expect(result.services.map((s) => [s.name, s.phase])).toEqual([['api', 'healthy']]);
    } finally {
      await client.close();
      await worker.stop();
      await new ProcessDriver().stop({ plan: loaded.plan.name, bootId: '' }, loaded.plan.services[0]!);
    }
  });

  it('sends TEMPORAL_API_KEY as a bearer token: a proxy that checks it admits the right key and refuses another', async () => {
    const proxy = await startApiKeyProxy({ upstream: requireTestEnv('address'), certs, apiKey: 'the-right-key' });
    try {
      const env = { TEMPORAL_ADDRESS: proxy.address, TEMPORAL_TLS_CA: certs.ca, ...serverName };
      expect(await listWith({ ...env, TEMPORAL_API_KEY: 'the-right-key' })).toEqual(expect.any(Array));
      expect(await readWith({ ...env, TEMPORAL_API_KEY: 'the-right-key' })).toBeUndefined();
      await expect(readWith({ ...env, TEMPORAL_API_KEY: 'a-wrong-key' })).rejects.toBeInstanceOf(
        TemporalUnreachableError,
      );
      await expect(listWith({ ...env, TEMPORAL_API_KEY: 'a-wrong-key' })).rejects.toThrow(
        /UNAUTHENTICATED: invalid API key: the server refused the credentials; check TEMPORAL_API_KEY/,
      );
    } finally {
      await proxy.close();
    }
  });
});
