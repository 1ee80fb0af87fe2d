import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleBootWorkflows } from '../../src/engine/boot-workflow-bundle';
import { startDevServer } from '../../src/temporal/dev-server';
import { findTemporalCli } from '../../src/temporal/temporal-cli';
import { testEnvKeys } from './test-env';

/**
 * Once per run: one Temporal dev server (provisioned like the CLI's embedded default, never skipped) and one
 * workflow bundle (bundling takes seconds; every test file reuses it).
 */
export default async function globalSetup(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'bootwave-test-'));
  process.env[testEnvKeys.workDir] = workDir;
  process.env.BOOTWAVE_STATE_DIR ??= join(workDir, 'state');

  const source = findTemporalCli(process.env, (line) => process.stderr.write(`${line}\n`));
  if (source.kind === 'binary') process.env[testEnvKeys.temporalBin] = source.path;
  const server = await startDevServer({
    source,
    dbFile: join(workDir, 'temporal.db'),
    logFile: join(workDir, 'temporal.log'),
    startTimeoutMs: 120_000,
  });
  process.env[testEnvKeys.address] = server.address;
  if (server.pid) process.env[testEnvKeys.serverPid] = String(server.pid);
  (globalThis as { bootwaveTestServer?: typeof server }).bootwaveTestServer = server;

  const bundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, await bundleBootWorkflows({ workflowsPath: require.resolve('./test-workflows.ts') }));
  process.env[testEnvKeys.bundle] = bundlePath;
}
