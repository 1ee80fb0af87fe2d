import { spawn } from 'node:child_process';
import { GroupWatch } from '../../../src/drivers/process/proc-info';
import { waitFor } from '../../support/wait-for';

/**
 * A group whose leader exits at once and leaves a member behind: the shape of a service that outlives its
 * supervisor. The member's pid is printed by the leader.
 */
async function groupWithOrphanedMember(): Promise<{ pgid: number; member: number }> {
  const leader = spawn('/bin/sh', ['-c', 'sleep 30 & echo $!'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const member = await new Promise<number>((resolve) => leader.stdout.once('data', (d) => resolve(Number(String(d)))));
  await new Promise((resolve) => leader.once('exit', resolve));
  return { pgid: leader.pid!, member };
}

describe('GroupWatch', () => {
  it('sees a group alive through a member once its leader is gone, and empty once the member is gone', async () => {
    const { pgid, member } = await groupWithOrphanedMember();
    const watch = new GroupWatch(pgid);
    expect(watch.alive()).toBe(true);
    expect(watch.alive()).toBe(true);
    process.kill(member, 'SIGKILL');
    await waitFor('the group empty', async () => (watch.alive() ? undefined : true));
  });

  it('finds a member forked after its first look before calling the group empty', async () => {
    // The first member starts a second one in the group, then exits.
    const leader = spawn('/bin/sh', ['-c', '(sleep 0.3; sleep 30 & echo $!) & exit 0'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pgid = leader.pid!;
    const late = new Promise<number>((resolve) => leader.stdout.once('data', (d) => resolve(Number(String(d)))));
    await new Promise((resolve) => leader.once('exit', resolve));
    const watch = new GroupWatch(pgid);
    expect(watch.alive()).toBe(true);
    const member = await late;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(watch.alive()).toBe(true);
    process.kill(member, 'SIGKILL');
    await waitFor('the group empty', async () => (watch.alive() ? undefined : true));
  });

  it('says a group that never existed is empty', () => {
    expect(new GroupWatch(2 ** 22 + 12345).alive()).toBe(false);
  });
});
