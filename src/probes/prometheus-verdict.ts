import type { PrometheusProbe } from '../plan/types';
import { clip, type ProbeResult } from './probe-result';

/** What Prometheus's HTTP API answers to `/api/v1/query` (the parts a check reads). */
interface QueryAnswer {
  status?: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

interface Sample {
  labels: string;
  value: number;
}

/** The comparison a check makes, as a sentence part: `below 0.05`. */
export function comparisonText(spec: PrometheusProbe): string {
  if (spec.below !== undefined) return `below ${spec.below}`;
  if (spec.above !== undefined) return `above ${spec.above}`;
  return `equal to ${spec.equals}`;
}

function passes(spec: PrometheusProbe, value: number): boolean {
  if (spec.below !== undefined) return value < spec.below;
  if (spec.above !== undefined) return value > spec.above;
  return value === spec.equals;
}

/**
 * Judges one answer of Prometheus to the check's query. Pure, so every shape of answer is tested on plain data:
 * every sample must compare as asked; no sample is "not ready" (no data yet, or a typo in a metric name); NaN
 * (0/0, e.g. an error rate without requests) never passes; PromQL and HTTP errors fail with Prometheus's message.
 */
export function prometheusVerdict(spec: PrometheusProbe, httpStatus: number, body: string): ProbeResult {
  let answer: QueryAnswer;
  try {
    answer = JSON.parse(body) as QueryAnswer;
  } catch {
    return { ok: false, output: clip(`HTTP ${httpStatus} from Prometheus, not its API's JSON: ${body || '(empty)'}`) };
  }
  if (answer.status !== 'success')
    return {
      ok: false,
      output: clip(`PromQL error (${answer.errorType ?? `HTTP ${httpStatus}`}): ${answer.error ?? body}`),
    };
  if (spec.below === undefined && spec.above === undefined && spec.equals === undefined)
    return { ok: false, output: 'the check has no comparison (below, above or equals)' };
  const samples = samplesOf(answer.data);
  if (typeof samples === 'string') return { ok: false, output: samples };
  if (samples.length === 0)
    return { ok: false, output: clip(`not ready: the query returned no samples (no data yet?): ${spec.query}`) };
  const failing = samples.filter((s) => !passes(spec, s.value));
  const show = (s: Sample) => `${s.labels}${s.labels ? ' ' : ''}${s.value}`;
  const wanted = comparisonText(spec);
  if (failing.length === 0)
    return {
      ok: true,
      output: clip(`${samples.map(show).join(', ')} ${samples.length > 1 ? 'are all' : 'is'} ${wanted}`),
    };
  const which = samples.length > 1 ? `${failing.length} of ${samples.length} samples not ${wanted}: ` : '';
  return { ok: false, output: clip(`${which}${failing.map(show).join(', ')}${which ? '' : ` is not ${wanted}`}`) };
}

/** The samples of an instant query's result, or why the result cannot be compared. */
function samplesOf(data: QueryAnswer['data']): Sample[] | string {
  const value = (pair: unknown) => Number((pair as [number, string] | undefined)?.[1] ?? NaN);
  switch (data?.resultType) {
    case 'scalar':
      return [{ labels: '', value: value(data.result) }];
    case 'vector':
      return ((data.result ?? []) as { metric?: Record<string, string>; value?: unknown }[]).map((item) => ({
        labels: labelsText(item.metric ?? {}),
        value: value(item.value),
      }));
    case 'matrix':
      return 'the query returns a range vector: compare an instant value, e.g. rate(x[1m]) rather than x[1m]';
    default:
      return `the query returns a ${data?.resultType ?? 'result of no type'}, not a number`;
  }
}

function labelsText(metric: Record<string, string>): string {
  const entries = Object.entries(metric);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}
