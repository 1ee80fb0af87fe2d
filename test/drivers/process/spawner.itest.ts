import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidStartTicks } from '../../../src/drivers/process/proc-info';
import { Spawner } from '../../../src/drivers/process/spawner';
import { freshDir } from '../../support/test-env';
import { waitFor } from '../../support/wait-for';

/** Process group and session of a pid, from /proc (fields 5 and 6 of its stat line). */
function groupAndSession(pid: number): { pgid: number; sid: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { pgid: Number(fields[2]), sid: Number(fields[3]) };
}

const alive = (pid: number) => pidStartTicks(pid) !== undefined;

describe('Spawner: detached processes started from a helper process', () => {
  const dir = freshDir('spawner');
  const spawner = new Spawner();
  const started: number[] = [];
  afterAll(() => {
    spawner.close();
    for (const pid of started) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('starts a child in its own session with exactly the environment, directory and log it was given', async () => {
    const log = join(dir, 'one.log');
    const pid = await spawner.spawn({
      file: '/bin/sh',
      args: ['-c', 'echo "$GREETING from $(pwd)"; echo oops >&2; sleep 30'],
      cwd: dir,
      env: { PATH: process.env.PATH, GREETING: "it's\nme" },
      log,
    });
    started.push(pid);
    expect(groupAndSession(pid)).toEqual({ pgid: pid, sid: pid });
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
    expect(environ.sort()).toEqual([`GREETING=it's\nme`, `PATH=${process.env.PATH}`]);
    await waitFor('the log', async () => (readFileSync(log, 'utf8').includes('oops') ? true : undefined));
    expect(readFileSync(log, 'utf8')).toBe(`it's\nme from ${dir}\noops\n`);
  });

  it('says why a child could not be started, and goes on spawning', async () => {
    const base = { file: '/bin/sh', args: ['-c', 'true'], env: {}, log: join(dir, 'two.log') };
    await expect(spawner.spawn({ ...base, cwd: join(dir, 'missing') })).rejects.toThrow(/ENOENT/);
    await expect(spawner.spawn({ ...base, file: join(dir, 'no-such-binary') })).rejects.toThrow(/ENOENT/);
    await expect(spawner.spawn({ ...base, log: join(dir, 'missing', 'x.log') })).rejects.toThrow(/ENOENT/);
    expect(await spawner.spawn(base)).toBeGreaterThan(0);
  });

  it('runs a command to its end and returns its output and exit', async () => {
    const base = { env: { PATH: process.env.PATH }, timeoutMs: 5000, maxBuffer: 1 << 20 };
    expect(await spawner.run({ ...base, file: '/bin/sh', args: ['-c', 'echo out; echo err >&2'], cwd: dir })).toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
    });
    expect(await spawner.run({ ...base, file: '/bin/sh', args: ['-c', 'echo no; exit 3'] })).toMatchObject({
      stdout: 'no\n',
      failure: { code: 3, killed: false },
    });
    expect(await spawner.run({ ...base, file: join(dir, 'no-such-binary'), args: [] })).toMatchObject({
      failure: { code: 'ENOENT' },
    });
  });

  it('kills a command at its timeout, or when its caller gives up', async () => {
    const base = { file: '/bin/sleep', args: ['30'], env: {}, maxBuffer: 1 << 20 };
    const began = Date.now();
    expect(await spawner.run({ ...base, timeoutMs: 300 })).toMatchObject({ failure: { killed: true } });
    const giveUp = new AbortController();
    setTimeout(() => giveUp.abort(), 300);
    expect(await spawner.run({ ...base, timeoutMs: 30_000 }, giveUp.signal)).toMatchObject({
      failure: { code: 'ABORT_ERR' },
    });
    expect(await spawner.run({ ...base, timeoutMs: 30_000 }, AbortSignal.abort())).toMatchObject({
      failure: { code: 'ABORT_ERR' },
    });
    // All ended long before the 30 s sleep would have.
    expect(Date.now() - began).toBeLessThan(10_000);
  });

  it('starts a new helper when its helper died; what the old one started keeps running', async () => {
    const before = await spawner.spawn({ file: '/bin/sleep', args: ['30'], env: {}, log: join(dir, 'three.log') });
    started.push(before);
    const helper = spawner.helperPid!;
    expect(helper).toBeGreaterThan(0);
    process.kill(helper, 'SIGKILL');
    await waitFor('the helper gone', async () => (spawner.helperPid === undefined ? true : undefined));

    const after = await spawner.spawn({ file: '/bin/sleep', args: ['30'], env: {}, log: join(dir, 'three.log') });
    started.push(after);
    expect(spawner.helperPid).not.toBe(helper);
    expect(alive(before)).toBe(true);
    expect(alive(after)).toBe(true);
  });

  it('the helper leaves with its worker (its channel closes) and leaves the children running', async () => {
    const pid = await spawner.spawn({ file: '/bin/sleep', args: ['30'], env: {}, log: join(dir, 'four.log') });
    started.push(pid);
    const helper = spawner.helperPid!;
    spawner.close();
    await waitFor('the helper exited', async () => (alive(helper) ? undefined : true));
    expect(alive(pid)).toBe(true);
  });
});
