import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { requireTestEnv } from '../support/test-env';

/**
 * Recorded histories of real boots (parent and wave workflows) and of a rolled-back update (the stack and update
 * workflows) replayed against the current workflow code: a change that breaks determinism fails here instead of in
 * production boots that are mid-flight. Record new ones with `scripts/record-history.sh` after a deliberate,
 * versioned change (updates: `BOOTWAVE_RECORD_UPDATE_HISTORIES=<folder>` with test/update/rolling-update.itest.ts).
 */
const folder = join(__dirname, '..', 'fixtures', 'histories');
const histories = readdirSync(folder).filter((file) => file.endsWith('.json'));

/** `dag--bootwave-demo_wave-0-data.json` → `bootwave-demo/wave-0-data`: child IDs are part of what replay checks. */
const workflowIdOf = (file: string) =>
  file
    .replace(/\.json$/, '')
    .split('--')[1]!
    .replace(/_/g, '/');

describe('replay of recorded boot histories', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(2);
  });

  it.each(histories)('%s replays without nondeterminism', async (file) => {
    const history = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: requireTestEnv('bundle') } }, history, workflowIdOf(file)),
    ).resolves.toBeUndefined();
  });
});
