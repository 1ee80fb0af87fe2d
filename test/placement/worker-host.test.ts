import { hostname } from 'node:os';
import { workerHostFromEnv, workerIdentity } from '../../src/engine/worker-host';
import { runCli } from '../cli/capture-io';

describe('the host a worker serves', () => {
  afterEach(() => {
    delete process.env.BOOTWAVE_HOST;
    process.exitCode = undefined;
  });

  it.each([
    [{}, undefined],
    [{ BOOTWAVE_HOST: '' }, undefined],
    [{ BOOTWAVE_HOST: 'pc2' }, 'pc2'],
    [{ BOOTWAVE_HOST: ' mainpc ' }, 'mainpc'],
  ])('reads %j as %s', (env, host) => {
    expect(workerHostFromEnv(env)).toBe(host);
  });

  it('names itself with its host, so histories show where an activity ran', () => {
    expect(workerIdentity('pc2')).toBe(`${process.pid}@${hostname()} host=pc2`);
    expect(workerIdentity(undefined)).toBeUndefined();
  });

  it('refuses a name a plan could not use, before connecting to anything', async () => {
    const result = await runCli('worker', '--host', 'PC2');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'bootwave: BOOTWAVE_HOST (--host) "PC2" is not a host name: plans name hosts with lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
  });
});
