import type { HttpProbe } from '../plan/types';
import { clip, errorText, type ProbeOptions, type ProbeResult } from './probe-result';

/** Passes on an expected status (any 2xx by default) and, when asked, a body matching `bodyMatch`. */
export async function httpProbe(spec: HttpProbe, options: ProbeOptions): Promise<ProbeResult> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await fetch(spec.url, {
      method: spec.method ?? 'GET',
      headers: spec.headers,
      signal: AbortSignal.any(signals),
    });
    const body = spec.method === 'HEAD' ? '' : await response.text();
    const statusOk =
      spec.expectStatus.length === 0
        ? response.status >= 200 && response.status < 300
        : spec.expectStatus.includes(response.status);
    const bodyOk = spec.bodyMatch === undefined || new RegExp(spec.bodyMatch).test(body);
    const output = `HTTP ${response.status}${body ? `: ${body}` : ''}`;
    if (statusOk && !bodyOk) return { ok: false, output: clip(`body does not match /${spec.bodyMatch}/: ${output}`) };
    return { ok: statusOk, output: clip(output) };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { ok: false, output: timedOut ? `no answer after ${options.timeoutMs} ms` : clip(errorText(error)) };
  }
}
