import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevServerExitedError, startDevServer } from '../../src/temporal/dev-server';

/** A stand-in for the Temporal CLI that records its `--port` and exits at once, as a server that lost a port. */
function exitingServer(dir: string): string {
  const path = join(dir, 'temporal');
  writeFileSync(
    path,
    `#!/bin/sh\nwhile [ "$1" != "--port" ]; do shift; done\necho "$2" >> "${join(dir, 'ports')}"\necho "bind: address already in use"\nexit 1\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('startDevServer when the server exits while starting', () => {
  it('tries twice more on new ports, then names the exit code and the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-devserver-'));
    const logFile = join(dir, 'server.log');
    const start = startDevServer({
      source: { kind: 'binary', path: exitingServer(dir), how: 'test' },
      dbFile: join(dir, 'temporal.db'),
      logFile,
    });
    await expect(start).rejects.toThrow(DevServerExitedError);
    await expect(start).rejects.toThrow(`Temporal dev server exited with code 1 (its log: ${logFile})`);
    const ports = readFileSync(join(dir, 'ports'), 'utf8').trim().split('\n');
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
    expect(readFileSync(logFile, 'utf8')).toContain('bind: address already in use');
  });

  it('does not try again on a port the caller chose (a restart on the same address)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-devserver-'));
    await expect(
      startDevServer({
        source: { kind: 'binary', path: exitingServer(dir), how: 'test' },
        dbFile: join(dir, 'temporal.db'),
        port: 7233,
      }),
    ).rejects.toThrow('Temporal dev server exited with code 1');
    expect(readFileSync(join(dir, 'ports'), 'utf8').trim().split('\n')).toEqual(['7233']);
  });
});
