import { isFolder } from '../is-folder';
import { sharedSpawner, type CommandResult } from '../drivers/process/spawner';
import type { ExecProbe } from '../plan/types';
import { clip, type ProbeOptions, type ProbeResult } from './probe-result';

/**
 * Runs argv directly (no shell, so plan values are never interpreted) and passes on exit code 0. The command runs
 * from the worker's spawn helper: forking the worker itself for every check would stall it (`spawner.ts`).
 */
export async function execProbe(spec: ExecProbe, options: ProbeOptions): Promise<ProbeResult> {
  const [file, ...args] = spec.argv;
  const ran: CommandResult = await sharedSpawner
    .run(
      {
        file: file!,
        args,
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        timeoutMs: options.timeoutMs,
        maxBuffer: 1 << 20,
      },
      options.signal,
    )
    .catch((error: Error) => ({ stdout: '', stderr: '', failure: { message: error.message } }));
  const output = clip(`${ran.stdout}${ran.stderr}`) || '(no output)';
  if (!ran.failure) return { ok: true, output };
  const { code, killed, message } = ran.failure;
  if (killed) return { ok: false, output: `no exit after ${options.timeoutMs} ms` };
  // spawn reports a missing working directory as the command's ENOENT.
  if (code === 'ENOENT' && spec.cwd !== undefined && !isFolder(spec.cwd))
    return { ok: false, output: `working directory ${spec.cwd} does not exist` };
  if (code === 'ENOENT') return { ok: false, output: `${file}: command not found` };
  if (code === undefined) return { ok: false, output: clip(message) };
  return { ok: false, output: clip(`exit ${code}: ${output}`) };
}
