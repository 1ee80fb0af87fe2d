import type { Report } from './compose-values';

/**
 * A Compose duration key's value: a string, as Compose requires (a bare `10` is refused there, and here it would
 * read as 10 ms), converted by `goDuration`; undefined, with an error, for anything else.
 */
export function composeDuration(value: unknown, at: string, error: Report): unknown {
  if (typeof value === 'string') return goDuration(value);
  error(at, `must be a duration string such as 10s or 1m30s, got ${JSON.stringify(value)}`);
  return undefined;
}

/** Go durations as Compose writes them (`1m30s`, `500ms`, `1.5s`, `100us`); microseconds and below round to 1ms. */
export function goDuration(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text) || !/(ns|us|µs)/.test(text)) return text;
  let totalMs = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    const factor = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms'];
    totalMs += Number(amount) * factor;
  }
  return `${Math.max(1, Math.round(totalMs))}ms`;
}
