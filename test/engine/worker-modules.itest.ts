import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir } from '../support/test-env';
import { WorkerProcess } from '../support/worker-process';

/**
 * A worker loads what only some plans or settings need when they need it, not at start: the Docker client (with
 * ssh2's WebAssembly memory ≈ 30 MiB), the Kubernetes client, the plan schema's zod, prom-client (`/metrics`).
 */
describe('the worker process', () => {
  it('polls without loading the Docker or Kubernetes client, zod or prom-client', async () => {
    const dir = freshDir('worker-modules');
    const loadedFile = join(dir, 'loaded.json');
    const preload = join(dir, 'record-loaded.js');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loadedFile)}, JSON.stringify(Object.keys(require.cache))));`,
    );
    const worker = await WorkerProcess.start({
      taskQueue: uniqueTaskQueue('modules'),
      logFile: join(dir, 'worker.log'),
      env: { NODE_OPTIONS: `--require ${preload}`, BOOTWAVE_STATE_DIR: join(dir, 'state') },
    });
    try {
      await worker.started();
    } finally {
      await worker.stop();
    }
    const loaded = JSON.parse(readFileSync(loadedFile, 'utf8')) as string[];
    expect(loaded.some((file) => file.includes('/@temporalio/worker/'))).toBe(true);
    expect(
      loaded.filter((file) => /\/node_modules\/(dockerode|ssh2|@kubernetes|zod|prom-client)\//.test(file)),
    ).toEqual([]);
  }, 90_000);
});
