import { mkdtempSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { BootClient } from '../../src/client/boot-client';
import { BootControlRefusedError, StackUnansweredError } from '../../src/client/client-errors';
import { localBootApi, LocalApiUnreachableError } from '../../src/local-api/local-api-client';
import { serveLocalApi, type LocalApiServer } from '../../src/local-api/local-api-server';
import type { BootApi } from '../../src/local-api/boot-api';
import type { ResolvedPlan } from '../../src/plan/types';

// The local API over a real Unix socket, in front of a stand-in for the worker's BootClient: what a command sends
// arrives as the same call, and what the client answers or throws comes back as the same value or error class.

/** Any JSON travels; the API does not look inside a plan. */
const plan = {
  name: 'p',
  services: [{ name: 'a', target: { driver: 'process', command: ['/bin/true'] } }],
} as unknown as ResolvedPlan;

const calls: unknown[][] = [];
let aborted: AbortSignal | undefined;
let behaviour: Record<string, () => Promise<unknown>> = {};

/** Only what `directBootApi` and the server use of a BootClient. */
const fakeClient = {
  client: {
    withAbortSignal: (signal: AbortSignal, fn: () => Promise<unknown>) => {
      aborted = signal;
      return fn();
    },
  },
  up: async (...args: unknown[]) => {
    calls.push(['up', ...args]);
    await behaviour.up?.();
    return { boot: { workflowId: 'bootwave-p', runId: 'run-1' } };
  },
  start: async (...args: unknown[]) => {
    calls.push(['start', ...args]);
    return { workflowId: 'bootwave-p', runId: 'run-2' };
  },
  boot: (workflowId: string, runId?: string) => ({
    workflowId,
    runId,
    status: async () => {
      calls.push(['status', workflowId, runId]);
      return (await behaviour.status?.()) ?? { plan: 'p', phase: 'running', services: [] };
    },
    result: () => behaviour.result?.() ?? Promise.resolve({ plan: 'p', phase: 'succeeded' }),
    cancel: async (reason?: string) => {
      calls.push(['cancel', workflowId, runId, reason]);
      throw new BootControlRefusedError('the boot has already succeeded');
    },
    pause: async () => ({ phase: 'running', paused: true, cancelRequested: false }),
    resume: async () => ({ phase: 'running', paused: false, cancelRequested: false }),
  }),
  stack: (name: string) => ({
    status: async () => {
      calls.push(['stack', name]);
      if (name === 'never-up') throw new WorkflowNotFoundError('not found', 'bootwave-stack-never-up', undefined);
      if (name === 'unanswered') throw new StackUnansweredError('no worker answered within 5 s');
      return { plan: name, services: [] };
    },
  }),
  list: async () => [
    {
      workflowId: 'bootwave-p',
      runId: 'r',
      status: 'COMPLETED',
      startTime: new Date(1_000),
      closeTime: new Date(2_000),
    },
    { workflowId: 'bootwave-q', runId: 's', status: 'RUNNING', startTime: new Date(3_000) },
  ],
} as unknown as BootClient;

let server: LocalApiServer;
let api: BootApi;

beforeAll(async () => {
  const socket = join(mkdtempSync(join(tmpdir(), 'bw-api-')), 'w.sock');
  server = (await serveLocalApi(fakeClient, socket))!;
  api = (await localBootApi(socket, '`bootwave dev` (pid 1)'))!.api;
});

afterAll(() => server.close());

beforeEach(() => {
  calls.length = 0;
  behaviour = {};
});

describe('the local API', () => {
  it('serves on a socket only its user may open', () => {
    expect(statSync(server.socketPath).mode & 0o777).toBe(0o600);
  });

  it('passes a call through with its arguments, and binds the boot it started to its run', async () => {
    const boot = await api.up(plan, { strategy: 'waves' });
    expect(calls[0]).toEqual(['up', plan, { strategy: 'waves' }]);
    expect({ workflowId: boot.workflowId, runId: boot.runId }).toEqual({ workflowId: 'bootwave-p', runId: 'run-1' });
    await boot.status();
    expect(calls[1]).toEqual(['status', 'bootwave-p', 'run-1']);
    expect(await boot.result()).toEqual({ plan: 'p', phase: 'succeeded' });
    const started = await api.start(plan, {});
    expect(started.runId).toBe('run-2');
  });

  it('answers with the classes the commands tell apart', async () => {
    behaviour.up = () =>
      Promise.reject(new WorkflowExecutionAlreadyStartedError('already started', 'bootwave-stack-p', 'stackWorkflow'));
    const refused = await api.up(plan, {}).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    expect(refused).toMatchObject({ workflowId: 'bootwave-stack-p', message: 'already started' });

    behaviour.status = () => Promise.reject(new WorkflowNotFoundError('no such boot', 'bootwave-x', undefined));
    const missing = await api
      .boot('bootwave-x')
      .status()
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(WorkflowNotFoundError);
    expect(missing).toMatchObject({ workflowId: 'bootwave-x' });

    await expect(api.boot('bootwave-p').cancel('why')).rejects.toBeInstanceOf(BootControlRefusedError);
    expect(calls.at(-1)).toEqual(['cancel', 'bootwave-p', undefined, 'why']);
    await expect(api.stackStatus('unanswered')).rejects.toBeInstanceOf(StackUnansweredError);

    behaviour.status = () => Promise.reject(new Error('deadline exceeded'));
    await expect(api.boot('bootwave-p').status()).rejects.toThrow(/^deadline exceeded$/);
  });

  it('answers a stack never brought up as none, and a list with its dates', async () => {
    expect(await api.stackStatus('never-up')).toBeUndefined();
    expect(await api.stackStatus('p')).toEqual({ plan: 'p', services: [] });
    const boots = await api.list({});
    expect(boots[0]!.startTime).toEqual(new Date(1_000));
    expect(boots[0]!.closeTime).toEqual(new Date(2_000));
    expect(boots[1]!.closeTime).toBeUndefined();
  });

  it('aborts what it waits for when the command goes away', async () => {
    behaviour.result = () => new Promise(() => {}); // a boot that never ends
    const pending = new Promise<void>((resolve) => {
      const sent = request({ socketPath: server.socketPath, path: '/v1/bootResult', method: 'POST' });
      sent.on('error', () => resolve());
      sent.end(JSON.stringify([{ workflowId: 'bootwave-p' }]));
      setTimeout(() => sent.destroy(), 100);
    });
    await pending;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(aborted?.aborted).toBe(true);
  });

  it('ends the calls still open when the command closes it, so the command can exit', async () => {
    behaviour.result = () => new Promise(() => {}); // a boot that never ends
    const local = (await localBootApi(server.socketPath, 'x'))!;
    const waiting = local.api.boot('bootwave-p').result();
    await new Promise((resolve) => setTimeout(resolve, 50));
    local.close();
    await expect(waiting).rejects.toBeInstanceOf(LocalApiUnreachableError);
  });

  it('is not used when nothing answers on its socket, and says which worker was lost mid-command', async () => {
    expect(await localBootApi('/nonexistent/bootwave.sock', 'x')).toBeUndefined();
    const socket = join(mkdtempSync(join(tmpdir(), 'bw-api-')), 'w.sock');
    const shortLived = (await serveLocalApi(fakeClient, socket))!;
    const lost = (await localBootApi(socket, '`bootwave dev` (pid 42)'))!.api;
    await shortLived.close();
    const error = await lost
      .boot('bootwave-p')
      .status()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalApiUnreachableError);
    expect((error as Error).message).toMatch(
      /^lost `bootwave dev` \(pid 42\), through which this command reached Temporal/,
    );
  });

  it('is not used when its worker does not answer (a stuck event loop)', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'bw-api-')), 'w.sock');
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(socket, resolve));
    try {
      expect(await localBootApi(socket, 'x')).toBeUndefined();
    } finally {
      silent.close();
    }
  });

  it('serves no API when the socket path is too long for a Unix socket', async () => {
    expect(await serveLocalApi(fakeClient, `/tmp/${'x'.repeat(120)}.sock`)).toBeUndefined();
  });
});
