/** One probe attempt: passed or not, and a short human line saying what was seen. */
export interface ProbeResult {
  ok: boolean;
  output: string;
}

export interface ProbeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Shortens a probe's output for status lines and heartbeats (history size). */
export function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : error.message;
  }
  return String(error);
}
