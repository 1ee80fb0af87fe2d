import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BootClient } from '../../src/client/boot-client';
import { AesGcmCodec, encryptedEncoding } from '../../src/codec/aes-gcm-codec';
import { parseCodecKeys } from '../../src/codec/codec-keys';
import { startCodecServer } from '../../src/codec/codec-server';
import { bootwaveDataConverter } from '../../src/codec/data-converter';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';
import { uniquePlanName } from '../support/docker';
import { healthService, randomTestPort } from '../support/plan-fixture';
import { rawHistory, secretForms } from '../support/raw-history';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WorkerProcess } from '../support/worker-process';

const keyA = `a:${randomBytes(32).toString('base64')}`;
const keyB = `b:${randomBytes(32).toString('base64')}`;
/** A plain env value of the plan: readable in history without the codec, ciphertext with it. */
const marker = `marker-${randomBytes(8).toString('hex')}`;

async function markerPlan(dir: string): Promise<ResolvedPlan> {
  const port = await randomTestPort();
  const file = join(dir, 'plan.yaml');
  writeFileSync(
    file,
    stringify({
      name: uniquePlanName('codec'),
      services: {
        api: {
          process: {
            command: ['node', healthService, '--name', 'api', '--port', String(port)],
            env: { MARKER: marker },
          },
          health: { check: { kind: 'http', url: `http://127.0.0.1:${port}/health` }, startInterval: '50ms' },
        },
      },
    }),
  );
  const loaded = loadPlan(file, { env: {} });
  if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
  return loaded.plan;
}

/**
 * Every payload in a decoded history object, with where it is. Aside: search attributes (the server indexes them,
 * so no codec applies) and the SDK's own patch markers (the patch's name, written by the SDK's core).
 */
function payloadsIn(value: unknown, path = ''): { path: string; encoding: string; data: Uint8Array }[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => payloadsIn(item, `${path}[${index}]`));
  const record = value as Record<string, unknown>;
  const metadata = record.metadata as Record<string, Uint8Array> | undefined;
  if (metadata?.encoding instanceof Uint8Array)
    return [
      {
        path,
        encoding: Buffer.from(metadata.encoding).toString(),
        data: (record.data as Uint8Array) ?? new Uint8Array(),
      },
    ];
  return Object.entries(record)
    .filter(([key]) => key !== 'searchAttributes' && key !== 'patch-data')
    .flatMap(([key, item]) => payloadsIn(item, `${path}.${key}`));
}

async function historyEvents(client: BootClient, workflowId: string): Promise<unknown[]> {
  const events: unknown[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.client.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId },
      ...(nextPageToken ? { nextPageToken } : {}),
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

describe('payload codec on a real server', () => {
  it('writes only ciphertext to history; the codec server decodes it for the Web UI and the CLI', async () => {
    const dir = freshDir('codec');
    const plan = await markerPlan(dir);
    const taskQueue = uniqueTaskQueue('codec');
    const worker = await WorkerProcess.start({
      taskQueue,
      logFile: join(dir, 'worker.log'),
      env: { BOOTWAVE_CODEC_KEYS: `${keyA},${keyB}` },
    });
    const client = await BootClient.connect({
      address: requireTestEnv('address'),
      taskQueue,
      dataConverter: bootwaveDataConverter({ BOOTWAVE_CODEC_KEYS: keyA }),
    });
    const codecServer = await startCodecServer({
      codec: new AesGcmCodec(parseCodecKeys(keyA, 'test')),
      port: 0,
      corsOrigins: ['http://localhost:8233'],
    });
    const bootId = `${plan.name}-boot`;
    try {
      await worker.started();
      const result = await (await client.start(plan, { workflowId: bootId })).result();
      expect(result.phase).toBe('succeeded');
      // The client decodes what it reads: the live status is readable through bootwave.
      expect((await client.boot(bootId).status()).services.map((s) => s.phase)).toEqual(['healthy']);

      const waveId = `${bootId}/wave-0-wave-0`;
      for (const id of [bootId, waveId]) {
        const payloads = (await historyEvents(client, id)).flatMap((event) => payloadsIn(event));
        expect(payloads.length).toBeGreaterThan(0);
        expect(payloads.filter((p) => p.encoding !== encryptedEncoding).map((p) => `${p.path}: ${p.encoding}`)).toEqual(
          [],
        );
        expect(secretForms(await rawHistory(client.client, id), marker)).toEqual([]);
      }

      // The Web UI's and the CLI's view: the boot's input, decoded by the codec server, holds the plan again.
      const [started] = await historyEvents(client, bootId);
      const input = payloadsIn(started).filter((p) => p.path.includes('input'));
      const json = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
      const response = await fetch(`${codecServer.url}/decode`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: 'http://localhost:8233' },
        body: JSON.stringify({
          payloads: input.map((p) => ({
            metadata: { encoding: json(Buffer.from(p.encoding)), 'encryption-key-id': json(Buffer.from('a')) },
            data: json(p.data),
          })),
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
      const decoded = (await response.json()) as { payloads: { data: string }[] };
      expect(Buffer.from(decoded.payloads[0]!.data, 'base64').toString()).toContain(marker);

      // A client without the key still lists the namespace's boots (`bootwave list`): this one without its plan.
      const plain = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
      try {
        const listed = await waitFor('the boot in the list', async () =>
          (await plain.list()).find((boot) => boot.workflowId === bootId),
        );
        expect(listed).toMatchObject({ workflowId: bootId, plan: undefined, status: 'COMPLETED' });
        expect((await client.list()).find((boot) => boot.workflowId === bootId)?.plan).toBe(plan.name);
      } finally {
        await plain.close();
      }
    } finally {
      await codecServer.close();
      await client.close();
      await worker.stop();
      await new ProcessDriver().stop({ plan: plan.name, bootId: '' }, plan.services[0]!);
    }
  });

  it("encrypts failure messages too: a failed service's log lines are ciphertext in history, readable through bootwave", async () => {
    const dir = freshDir('codec-failure');
    const logLine = `failure-line-${randomBytes(8).toString('hex')}`;
    const file = join(dir, 'plan.yaml');
    writeFileSync(
      file,
      stringify({
        name: uniquePlanName('codec-fail'),
        services: {
          job: {
            oneShot: true,
            process: { command: ['node', '-e', `console.error(${JSON.stringify(logLine)}); process.exit(3)`] },
          },
        },
      }),
    );
    const loaded = loadPlan(file, { env: {} });
    if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
    const plan = loaded.plan;
    const taskQueue = uniqueTaskQueue('codec-failure');
    const worker = await WorkerProcess.start({
      taskQueue,
      logFile: join(dir, 'worker.log'),
      env: { BOOTWAVE_CODEC_KEYS: keyA },
    });
    const client = await BootClient.connect({
      address: requireTestEnv('address'),
      taskQueue,
      dataConverter: bootwaveDataConverter({ BOOTWAVE_CODEC_KEYS: keyA }),
    });
    const bootId = `${plan.name}-boot`;
    try {
      await worker.started();
      const result = await (await client.start(plan, { workflowId: bootId, onFailure: 'halt' })).result();
      expect(result.phase).toBe('halted');
      // Through bootwave (the client decodes): the reason quotes the service's own line.
      expect(result.services[0]!.error).toContain(logLine);
      const waveId = `${bootId}/wave-0-wave-0`;
      for (const id of [bootId, waveId]) expect(secretForms(await rawHistory(client.client, id), logLine)).toEqual([]);
      // The failure is there, its message moved into an encrypted payload.
      const failures = (await historyEvents(client, waveId)).flatMap((event) => {
        const failed = (event as { activityTaskFailedEventAttributes?: { failure?: { message?: string } } })
          .activityTaskFailedEventAttributes;
        return failed?.failure ? [failed.failure] : [];
      });
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.map((f) => f.message)).toEqual(failures.map(() => 'Encoded failure'));
    } finally {
      await client.close();
      await worker.stop();
    }
  });

  it('a worker without the key the client encrypts with fails the boot task with a message naming that key', async () => {
    const dir = freshDir('codec-wrong');
    const plan = await markerPlan(dir);
    const taskQueue = uniqueTaskQueue('codec-wrong');
    const logFile = join(dir, 'worker.log');
    const worker = await WorkerProcess.start({ taskQueue, logFile, env: { BOOTWAVE_CODEC_KEYS: keyB } });
    const client = await BootClient.connect({
      address: requireTestEnv('address'),
      taskQueue,
      dataConverter: bootwaveDataConverter({ BOOTWAVE_CODEC_KEYS: keyA }),
    });
    try {
      await worker.started();
      const handle = await client.start(plan, { workflowId: `${plan.name}-boot` });
      const expected =
        'a payload is encrypted with key "a", which this worker does not have (its keys: b): add "a" to BOOTWAVE_CODEC_KEYS';
      // The worker's log line of the failed workflow task: the error with its message (JSON-escaped in the line).
      const line = await waitFor('the worker to report the missing key', async () =>
        readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((text) => JSON.parse(text) as { error?: { message?: string } })
          .find((entry) => entry.error?.message === expected),
      );
      expect(line.error?.message).toBe(expected);
      await handle.workflow.terminate('test done');
    } finally {
      await client.close();
      await worker.stop();
    }
  });
});
