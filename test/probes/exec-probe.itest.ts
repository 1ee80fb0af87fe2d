import { execProbe } from '../../src/probes/exec-probe';

/** Exec checks run real commands, from the worker's spawn helper. */
describe('exec health check', () => {
  const options = (timeoutMs = 5000) => ({ timeoutMs, signal: new AbortController().signal });

  it('passes on exit 0 with the output, and fails with the exit code and output otherwise', async () => {
    expect(await execProbe({ kind: 'exec', argv: ['sh', '-c', 'echo ready'] }, options())).toEqual({
      ok: true,
      output: 'ready',
    });
    expect(await execProbe({ kind: 'exec', argv: ['sh', '-c', 'echo "not yet" >&2; exit 2'] }, options())).toEqual({
      ok: false,
      output: 'exit 2: not yet',
    });
  });

  it('gives the check its environment and directory, never a shell of its own', async () => {
    const check = {
      kind: 'exec' as const,
      argv: ['sh', '-c', 'echo "$NAME in $(pwd)"'],
      env: { NAME: '$(id)' },
      cwd: '/tmp',
    };
    expect(await execProbe(check, options())).toEqual({ ok: true, output: '$(id) in /tmp' });
  });

  it('names a missing command, and a command that did not exit in time', async () => {
    expect(await execProbe({ kind: 'exec', argv: ['bootwave-no-such-command'] }, options())).toEqual({
      ok: false,
      output: 'bootwave-no-such-command: command not found',
    });
    // The engine reports a missing working directory as ENOENT too: the check names the folder, not the command.
    expect(await execProbe({ kind: 'exec', argv: ['true'], cwd: '/nonexistent/bootwave-check' }, options())).toEqual({
      ok: false,
      output: 'working directory /nonexistent/bootwave-check does not exist',
    });
    expect(await execProbe({ kind: 'exec', argv: ['sleep', '30'] }, options(300))).toEqual({
      ok: false,
      output: 'no exit after 300 ms',
    });
  });
});
