import type { ListeningSockets } from './listening-sockets';

/** One probe attempt: passed or not, and a short human line saying what was seen. */
export interface ProbeResult {
  ok: boolean;
  output: string;
}

export interface ProbeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Shared by a worker's steady checks: a plain TCP check of a loopback port may read it instead of connecting. */
  listening?: ListeningSockets;
}

/** Shortens a probe's output for status lines and heartbeats (history size). */
export function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The most specific message of an error: fetch's "fetch failed" hides the real one (ECONNREFUSED…) in `cause`. */
export function errorText(error: unknown): string {
  // Duck-typed, not instanceof: errors from Node's own fetch may come from another realm (e.g. under jest).
  const messageOf = (value: unknown) =>
    typeof value === 'object' && value !== null && 'message' in value
      ? String((value as { message: unknown }).message)
      : undefined;
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return messageOf(cause) ?? messageOf(error) ?? String(error);
}
