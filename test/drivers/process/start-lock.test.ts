import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withStartLock } from '../../../src/drivers/process/start-lock';

describe('withStartLock', () => {
  it('runs the starts of one service one after the other, never side by side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-lock-'));
    const events: string[] = [];
    const start = (name: string) =>
      withStartLock(dir, async () => {
        events.push(`${name} begins`);
        await new Promise((resolve) => setTimeout(resolve, 150));
        events.push(`${name} ends`);
      });
    await Promise.all([start('first'), start('second')]);
    expect(events).toEqual(['first begins', 'first ends', 'second begins', 'second ends']);
    expect(existsSync(join(dir, 'start.lock'))).toBe(false);
  });

  it('takes over the lock of a holder that died mid-start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-lock-'));
    const dead = spawnSync('true').pid!; // exited: its pid is no longer a live process of that start time
    writeFileSync(join(dir, 'start.lock'), `${dead} 12345`);
    await expect(withStartLock(dir, async () => 'started')).resolves.toBe('started');
  });
});
