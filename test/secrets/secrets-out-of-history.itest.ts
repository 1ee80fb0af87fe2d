import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BootClient } from '../../src/client/boot-client';
import { connectKube, type KubeClient } from '../../src/drivers/kubernetes/kube-client';
import { containerName } from '../../src/drivers/docker/docker-names';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';
import { ensureDockerForTests, testImages, uniquePlanName } from '../support/docker';
import { kubeCluster } from '../support/kube-cluster';
import { randomTestPort } from '../support/plan-fixture';
import { rawDescription, rawHistory, secretForms, workflowIdsOnQueue } from '../support/raw-history';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import { WorkerProcess } from '../support/worker-process';

/** Writes which of the named variables it received, then answers HTTP: the test reads what each service got. */
const echoService = `
const [out, port, ...names] = process.argv.slice(2);
require('node:fs').writeFileSync(out, JSON.stringify(Object.fromEntries(names.map((n) => [n, process.env[n] ?? null]))));
require('node:http').createServer((req, res) => res.end('ok')).listen(Number(port), '127.0.0.1');
`;

const secret = (kind: string) => `bw-${kind}-${randomBytes(12).toString('hex')}`;
const secrets = {
  env: secret('env'),
  file: secret('file'),
  kubernetes: secret('kube'),
  docker: secret('docker'),
  containerFile: secret('container-file'),
};
/** Not a secret: it must be in the history, which proves the search reads the payloads. */
const plainValue = `plain-${randomBytes(8).toString('hex')}`;

let kube: KubeClient;
const kubeSecretName = `bw-secret-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  ensureDockerForTests();
  await kubeCluster();
  kube = await connectKube();
  await kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: kubeSecretName, namespace: 'default' },
    data: { password: Buffer.from(secrets.kubernetes).toString('base64') },
  } as never);
});

afterAll(async () => {
  await kube.delete({ apiVersion: 'v1', kind: 'Secret', metadata: { name: kubeSecretName, namespace: 'default' } });
});

async function secretPlan(dir: string): Promise<{ plan: ResolvedPlan; outputs: Record<string, string> }> {
  // Free ports now (other runs on this machine use the fixtures' counted range too).
  const ports = [await randomTestPort(), await randomTestPort(), await randomTestPort(), await randomTestPort()];
  const script = join(dir, 'echo-service.js');
  writeFileSync(script, echoService);
  const secretFile = join(dir, 'db-password');
  writeFileSync(secretFile, `${secrets.file}\n`);
  const containerFile = join(dir, 'container-secret');
  writeFileSync(containerFile, secrets.containerFile);
  const dockerSecrets = join(dir, 'run-secrets');
  mkdirSync(dockerSecrets);
  writeFileSync(join(dockerSecrets, 'api_token'), secrets.docker);

  const outputs: Record<string, string> = {};
  const processService = (name: string, value: unknown) => {
    const port = ports.pop()!;
    outputs[name] = join(dir, `${name}.out`);
    return {
      process: {
        command: ['node', script, outputs[name], String(port), 'SECRET_VALUE', 'PLAIN_VALUE'],
        env: { SECRET_VALUE: value, PLAIN_VALUE: plainValue },
      },
      health: { check: { kind: 'http', url: `http://127.0.0.1:${port}/` }, interval: '200ms', startInterval: '50ms' },
      startTimeout: '30s',
    };
  };
  const doc = {
    name: uniquePlanName('secrets'),
    services: {
      'from-env': processService('from-env', { secret: { env: 'BW_ITEST_DB_PASSWORD' } }),
      'from-file': processService('from-file', { secret: { file: secretFile } }),
      'from-kubernetes': processService('from-kubernetes', {
        secret: { kubernetes: { name: kubeSecretName, key: 'password' } },
      }),
      'from-docker-secret': processService('from-docker-secret', { secret: { docker: 'api_token' } }),
      container: {
        docker: {
          image: testImages.busybox,
          command: ['sleep', '3600'],
          env: {
            SECRET_VALUE: { secret: { kubernetes: { name: kubeSecretName, key: 'password', namespace: 'default' } } },
          },
          secrets: [
            { source: { file: containerFile }, target: '/run/secrets/x' },
            { source: { env: 'BW_ITEST_DB_PASSWORD' }, target: '/run/secrets/db_password' },
          ],
          stopGrace: '1s',
        },
        dependsOn: ['from-env'],
      },
    },
  };
  const file = join(dir, 'plan.yaml');
  writeFileSync(file, stringify(doc));
  const loaded = loadPlan(file, { env: {} });
  if (!loaded.ok) throw new Error(loaded.errors.map(formatIssue).join('\n'));
  return { plan: loaded.plan, outputs };
}

const dockerExec = (container: string, ...argv: string[]) =>
  execFileSync('docker', ['exec', container, ...argv], { encoding: 'utf8' });

describe('secrets: resolved on the worker, never in history', () => {
  it('boots services with secrets of every kind; no event of any workflow of the boot holds a secret, raw or base64', async () => {
    const dir = freshDir('secrets');
    const { plan, outputs } = await secretPlan(dir);
    const taskQueue = uniqueTaskQueue('secrets');
    const logFile = join(dir, 'worker.log');
    const worker = await WorkerProcess.start({
      taskQueue,
      logFile,
      env: {
        BW_ITEST_DB_PASSWORD: secrets.env,
        BOOTWAVE_DOCKER_SECRETS_DIR: join(dir, 'run-secrets'),
        KUBECONFIG: process.env.KUBECONFIG ?? '',
        BOOTWAVE_LOG_LEVEL: 'debug',
      },
    });
    const client = await BootClient.connect({ address: requireTestEnv('address'), taskQueue });
    try {
      await worker.started();
      const { stack, boot } = await client.up(plan, { workflowId: `${plan.name}-boot`, stackId: `${plan.name}-stack` });
      const booted = await boot.result();
      // The error, if any, says why (it names a reference, never a value).
      expect(booted.services.map((s) => [s.name, s.phase, s.error ?? ''])).toEqual(
        expect.arrayContaining([
          ['from-env', 'healthy', ''],
          ['from-file', 'healthy', ''],
          ['from-kubernetes', 'healthy', ''],
          ['from-docker-secret', 'healthy', ''],
          ['container', 'healthy', ''],
        ]),
      );
      expect(booted.phase).toBe('succeeded');

      // Each service received its value.
      const received = (service: string) => JSON.parse(readFileSync(outputs[service]!, 'utf8')) as unknown;
      expect(received('from-env')).toEqual({ SECRET_VALUE: secrets.env, PLAIN_VALUE: plainValue });
      expect(received('from-file')).toEqual({ SECRET_VALUE: secrets.file, PLAIN_VALUE: plainValue });
      expect(received('from-kubernetes')).toEqual({ SECRET_VALUE: secrets.kubernetes, PLAIN_VALUE: plainValue });
      expect(received('from-docker-secret')).toEqual({ SECRET_VALUE: secrets.docker, PLAIN_VALUE: plainValue });
      const container = containerName(plan.name, 'container');
      expect(dockerExec(container, 'cat', '/run/secrets/x')).toBe(secrets.containerFile);
      expect(dockerExec(container, 'cat', '/run/secrets/db_password')).toBe(secrets.env);
      expect(dockerExec(container, 'sh', '-c', 'printf %s "$SECRET_VALUE"')).toBe(secrets.kubernetes);

      // Supervision is running: its watch activities heartbeat, and the stack answers queries.
      await waitFor('supervising', async () => ((await stack.status()).phase === 'supervising' ? true : undefined));
      const answers = Buffer.from(JSON.stringify([await stack.status(), await boot.status()]));
      const pending = await rawDescription(client.client, `${plan.name}-stack`);

      await stack.end('test done');
      const down = await client.down(plan, { workflowId: `${plan.name}-down` });
      expect(down.failed).toEqual([]);

      const ids = await waitFor('every workflow of the boot listed', async () => {
        const listed = await workflowIdsOnQueue(client.client, taskQueue);
        return listed.length >= 4 ? listed : undefined;
      });
      expect(ids).toEqual(expect.arrayContaining([`${plan.name}-stack`, `${plan.name}-boot`, `${plan.name}-down`]));
      expect(ids.some((id) => id.startsWith(`${plan.name}-boot/wave-`))).toBe(true);
      const histories = await Promise.all(ids.map(async (id) => [id, await rawHistory(client.client, id)] as const));
      // The search reads payloads: the plain value is in the inputs.
      expect(
        histories.filter(([, history]) => secretForms(history, plainValue).includes('raw')).length,
      ).toBeGreaterThan(0);

      const workerLog = readFileSync(logFile);
      expect(workerLog.length).toBeGreaterThan(0);
      const leaks = [];
      for (const [kind, value] of Object.entries(secrets)) {
        for (const [id, history] of histories)
          for (const form of secretForms(history, value)) leaks.push(`${kind} secret in ${id}'s history (${form})`);
        for (const form of secretForms(pending, value))
          leaks.push(`${kind} secret in the stack's pending activities (${form})`);
        for (const form of secretForms(answers, value)) leaks.push(`${kind} secret in a query answer (${form})`);
        for (const form of secretForms(workerLog, value)) leaks.push(`${kind} secret in the worker's log (${form})`);
      }
      expect(leaks).toEqual([]);
    } finally {
      await client.close();
      await worker.stop();
      execFileSync('docker', ['rm', '-f', containerName(plan.name, 'container')], { stdio: 'ignore' });
    }
  });
});
