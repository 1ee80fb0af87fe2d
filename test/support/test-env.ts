import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the global setup hands to the test files, through the environment (shared by the worker processes). */
export const testEnvKeys = {
  address: 'BOOTWAVE_TEST_TEMPORAL_ADDRESS',
  bundle: 'BOOTWAVE_TEST_WORKFLOW_BUNDLE',
  serverPid: 'BOOTWAVE_TEST_TEMPORAL_PID',
  workDir: 'BOOTWAVE_TEST_WORK_DIR',
  temporalBin: 'BOOTWAVE_TEST_TEMPORAL_BIN',
} as const;

export function requireTestEnv(key: keyof typeof testEnvKeys): string {
  const value = process.env[testEnvKeys[key]];
  if (!value)
    throw new Error(
      `${testEnvKeys[key]} is not set: run the integration tests through jest (test/support/global-setup.ts)`,
    );
  return value;
}

/** A fresh folder under the run's work dir (or the system temp dir). */
export function freshDir(prefix: string): string {
  const base = process.env[testEnvKeys.workDir] ?? tmpdir();
  return mkdtempSync(join(base, `${prefix}-`));
}
