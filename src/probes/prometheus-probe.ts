import type { PrometheusProbe } from '../plan/types';
import { clip, errorText, type ProbeOptions, type ProbeResult } from './probe-result';
import { prometheusVerdict } from './prometheus-verdict';

/** Asks Prometheus for the query's value now (`/api/v1/query`) and compares it (see `prometheusVerdict`). */
export async function prometheusProbe(spec: PrometheusProbe, options: ProbeOptions): Promise<ProbeResult> {
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  const url = `${spec.url.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(spec.query)}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.any(signals), headers: { accept: 'application/json' } });
    return prometheusVerdict(spec, response.status, await response.text());
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return {
      ok: false,
      output: timedOut
        ? `no answer from Prometheus after ${options.timeoutMs} ms`
        : clip(`Prometheus: ${errorText(error)}`),
    };
  }
}
