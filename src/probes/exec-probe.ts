import { execFile } from 'node:child_process';
import type { ExecProbe } from '../plan/types';
import { clip, type ProbeOptions, type ProbeResult } from './probe-result';

/** Runs argv directly (no shell, so plan values are never interpreted) and passes on exit code 0. */
export function execProbe(spec: ExecProbe, options: ProbeOptions): Promise<ProbeResult> {
  const [file, ...args] = spec.argv;
  return new Promise((resolve) => {
    execFile(
      file!,
      args,
      {
        timeout: options.timeoutMs,
        signal: options.signal,
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        maxBuffer: 1 << 20,
      },
      (error, stdout, stderr) => {
        const output = clip(`${stdout}${stderr}`) || '(no output)';
        if (!error) return resolve({ ok: true, output });
        const { code, killed } = error as { code?: number | string; killed?: boolean };
        if (killed) return resolve({ ok: false, output: `no exit after ${options.timeoutMs} ms` });
        if (code === 'ENOENT') return resolve({ ok: false, output: `${file}: command not found` });
        resolve({ ok: false, output: clip(`exit ${code}: ${output}`) });
      },
    );
  });
}
