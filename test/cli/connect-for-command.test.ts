import { withBootApi, withCommandConnection } from '../../src/cli/connect-for-command';
import { serveLocalApi } from '../../src/local-api/local-api-server';
import { BootClient } from '../../src/client/boot-client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootwaveStateDir, connectOrStartTemporal } from '../../src/engine/embedded-temporal';
import { registerWorker } from '../../src/engine/worker-registry';
import { temporalSettingsFromEnv } from '../../src/config/temporal-settings';
import { startInProcessWorker } from '../../src/engine/in-process-worker';
import { captureIo } from './capture-io';

jest.mock('../../src/engine/embedded-temporal');
jest.mock('../../src/engine/in-process-worker');
jest.mock('../../src/client/boot-client');

let events: string[];

function fakeEndpoint(owned: boolean) {
  jest.mocked(connectOrStartTemporal).mockImplementation(async () => {
    events.push('endpoint up');
    return { address: '127.0.0.1:1', owned, stop: async () => void events.push('endpoint stopped') };
  });
}

let stateDir: string;

beforeEach(() => {
  jest.clearAllMocks();
  events = [];
  stateDir = mkdtempSync(join(tmpdir(), 'bootwave-connect-'));
  jest.mocked(bootwaveStateDir).mockReturnValue(stateDir);
  fakeEndpoint(false);
  jest.mocked(startInProcessWorker).mockImplementation(async () => {
    events.push('worker up');
    return { stop: async () => void events.push('worker stopped') };
  });
  jest.mocked(BootClient.connect).mockImplementation(async () => {
    events.push('client up');
    return { close: async () => void events.push('client closed') } as unknown as BootClient;
  });
});

describe('withCommandConnection', () => {
  it('uses a long-running worker of this build on the same queue instead of starting one', async () => {
    const { namespace, taskQueue } = temporalSettingsFromEnv();
    const unregister = registerWorker(stateDir, { address: '127.0.0.1:1', namespace, taskQueue, command: 'dev' });
    const io = captureIo();
    await withCommandConnection(io, { worker: true }, async () => void events.push('command'));
    expect(events).toEqual(['endpoint up', 'client up', 'command', 'client closed', 'endpoint stopped']);
    expect(io.stderrText()).toBe(`bootwave: using the running worker of \`bootwave dev\` (pid ${process.pid})`);
    unregister();
  });

  it('opens endpoint, worker, client, and closes them in the one order: client, worker, endpoint', async () => {
    const value = await withCommandConnection(captureIo(), { worker: true }, async () => {
      events.push('command');
      return 7;
    });
    expect(value).toBe(7);
    expect(events).toEqual([
      'endpoint up',
      'worker up',
      'client up',
      'command',
      'client closed',
      'worker stopped',
      'endpoint stopped',
    ]);
  });

  it('closes everything in the same order when the command fails, and reports the command’s error', async () => {
    const failing = withCommandConnection(captureIo(), { worker: true }, async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(events).toEqual([
      'endpoint up',
      'worker up',
      'client up',
      'client closed',
      'worker stopped',
      'endpoint stopped',
    ]);
  });

  it('starts no worker unless asked', async () => {
    await withCommandConnection(captureIo(), {}, async () => void events.push('command'));
    expect(startInProcessWorker).not.toHaveBeenCalled();
    expect(events).toEqual(['endpoint up', 'client up', 'command', 'client closed', 'endpoint stopped']);
  });

  it('refuses a server it would own when the command needs one that outlives it, and stops that server', async () => {
    fakeEndpoint(true);
    const refused = withCommandConnection(
      captureIo(),
      { worker: true, needsLastingServer: 'run bootwave dev first' },
      () => Promise.resolve(events.push('command')),
    );
    await expect(refused).rejects.toThrow('run bootwave dev first');
    expect(events).toEqual(['endpoint up', 'endpoint stopped']);
  });

  it('still stops the endpoint when the worker cannot start', async () => {
    jest.mocked(startInProcessWorker).mockRejectedValue(new Error('no bundle'));
    await expect(withCommandConnection(captureIo(), { worker: true }, async () => 1)).rejects.toThrow('no bundle');
    expect(events).toEqual(['endpoint up', 'endpoint stopped']);
  });
});

describe('withBootApi', () => {
  const where = () => {
    const { namespace, taskQueue } = temporalSettingsFromEnv();
    return { address: '127.0.0.1:1', namespace, taskQueue };
  };

  it("goes through a running worker's local API and connects no client of its own", async () => {
    const answering = {
      list: async () => [],
      client: { withAbortSignal: (_: AbortSignal, fn: () => unknown) => fn() },
    };
    const served = (await serveLocalApi(answering as unknown as BootClient, join(stateDir, 'api.sock')))!;
    const unregister = registerWorker(stateDir, { ...where(), command: 'dev', api: served.socketPath });
    const io = captureIo();
    try {
      await withBootApi(io, { worker: true }, async ({ api }) => {
        events.push(`command: ${JSON.stringify(await api.list({}))}`);
      });
    } finally {
      unregister();
      await served.close();
    }
    expect(events).toEqual(['endpoint up', 'command: []', 'endpoint stopped']);
    expect(BootClient.connect).not.toHaveBeenCalled();
    expect(io.stderrText()).toBe(`bootwave: using the running worker of \`bootwave dev\` (pid ${process.pid})`);
  });

  it('connects its own client when BOOTWAVE_LOCAL_API=off, though a worker answers', async () => {
    const answering = { client: { withAbortSignal: (_: AbortSignal, fn: () => unknown) => fn() } };
    const served = (await serveLocalApi(answering as unknown as BootClient, join(stateDir, 'api.sock')))!;
    const unregister = registerWorker(stateDir, { ...where(), command: 'dev', api: served.socketPath });
    process.env.BOOTWAVE_LOCAL_API = 'off';
    try {
      await withBootApi(captureIo(), {}, async () => void events.push('command'));
    } finally {
      delete process.env.BOOTWAVE_LOCAL_API;
      unregister();
      await served.close();
    }
    expect(events).toEqual(['endpoint up', 'client up', 'command', 'client closed', 'endpoint stopped']);
  });

  it('connects its own client when the recorded API does not answer', async () => {
    const unregister = registerWorker(stateDir, { ...where(), command: 'dev', api: join(stateDir, 'gone.sock') });
    try {
      await withBootApi(captureIo(), {}, async () => void events.push('command'));
    } finally {
      unregister();
    }
    expect(events).toEqual(['endpoint up', 'client up', 'command', 'client closed', 'endpoint stopped']);
  });
});
