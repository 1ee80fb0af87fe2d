import type { PrometheusProbe } from '../../src/plan/types';
import { prometheusVerdict } from '../../src/probes/prometheus-verdict';

const rate: PrometheusProbe = { kind: 'prometheus', url: 'http://127.0.0.1:1', query: 'error_rate', below: 0.05 };
const vector = (...items: [Record<string, string>, string][]) =>
  JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result: items.map(([metric, value]) => ({ metric, value: [1700000000.1, value] })) },
  });

// Answers as Prometheus 2.x's /api/v1/query gives them (shapes from its HTTP API documentation).
const cases: [string, PrometheusProbe, number, string, { ok: boolean; output: string }][] = [
  ['a low rate passes', rate, 200, vector([{}, '0.01']), { ok: true, output: '0.01 is below 0.05' }],
  ['a high rate fails', rate, 200, vector([{}, '0.2']), { ok: false, output: '0.2 is not below 0.05' }],
  [
    'the threshold itself is not below it',
    rate,
    200,
    vector([{}, '0.05']),
    { ok: false, output: '0.05 is not below 0.05' },
  ],
  [
    'every sample must pass; the failing ones are named by their labels',
    rate,
    200,
    vector([{ job: 'a' }, '0.01'], [{ job: 'b' }, '0.3']),
    { ok: false, output: '1 of 2 samples not below 0.05: {job="b"} 0.3' },
  ],
  [
    'above',
    { ...rate, below: undefined, above: 10 },
    200,
    vector([{ job: 'a' }, '11'], [{ job: 'b' }, '12']),
    { ok: true, output: '{job="a"} 11, {job="b"} 12 are all above 10' },
  ],
  [
    'equals',
    { ...rate, below: undefined, equals: 1 },
    200,
    vector([{ up: '1' }, '1']),
    { ok: true, output: '{up="1"} 1 is equal to 1' },
  ],
  [
    'a scalar result',
    { ...rate, below: undefined, above: 0 },
    200,
    JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '3'] } }),
    { ok: true, output: '3 is above 0' },
  ],
  [
    'NaN (0/0: no requests yet) never passes',
    rate,
    200,
    vector([{}, 'NaN']),
    { ok: false, output: 'NaN is not below 0.05' },
  ],
  [
    'no samples is not ready',
    rate,
    200,
    vector(),
    { ok: false, output: 'not ready: the query returned no samples (no data yet?): error_rate' },
  ],
  [
    'a PromQL error is reported with its message',
    rate,
    400,
    JSON.stringify({ status: 'error', errorType: 'bad_data', error: '1:11: parse error: unclosed left parenthesis' }),
    { ok: false, output: 'PromQL error (bad_data): 1:11: parse error: unclosed left parenthesis' },
  ],
  [
    'a range vector cannot be compared',
    rate,
    200,
    JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }),
    {
      ok: false,
      output: 'the query returns a range vector: compare an instant value, e.g. rate(x[1m]) rather than x[1m]',
    },
  ],
  [
    'something else than Prometheus answers',
    rate,
    502,
    'Bad Gateway',
    { ok: false, output: "HTTP 502 from Prometheus, not its API's JSON: Bad Gateway" },
  ],
];

it.each(cases)('%s', (_, spec, status, body, expected) => {
  expect(prometheusVerdict(spec, status, body)).toEqual(expected);
});
