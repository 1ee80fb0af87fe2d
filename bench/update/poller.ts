/**
 * A client of one service polling it throughout an update, as a user's client would: a GET every `everyMs`, each
 * with a 1 s timeout. A request fails on a connection error, a timeout or a status other than 200. With more than
 * one address (a start-first process update moves the service to a new port) the client tries them in turn and a
 * poll fails only when none answers: a moment when the service served nobody.
 */
export interface PollResult {
  service: string;
  requests: number;
  failed: number;
  /** Longest stretch from a failed poll to the next answered one (ms); 0 when none failed. */
  longestOutageMs: number;
  /** When the first poll failed (epoch ms here; ms after the command's start in a run's record), if one did: the moment the old version stopped serving. */
  firstFailedAtMs?: number;
  /** When a response first carried the new version's marker (epoch ms here; ms after the command's start in a run's record), if one did. */
  newVersionAtMs?: number;
}

export interface Poller {
  /** Resolves once a response has carried the new version's marker, or after `timeoutMs`. */
  newVersionSeen(timeoutMs: number): Promise<boolean>;
  stop(): Promise<PollResult>;
}

async function answer(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    const body = await response.text();
    return response.status === 200 ? body : undefined;
  } catch {
    return undefined;
  }
}

export function poll(service: string, urls: string[], newMarker: string, everyMs = 50): Poller {
  let running = true;
  let requests = 0;
  let failed = 0;
  let longestOutageMs = 0;
  let outageSinceMs: number | undefined;
  let newVersionAtMs: number | undefined;
  let firstFailedAtMs: number | undefined;
  const loop = (async () => {
    while (running) {
      requests++;
      const at = Date.now();
      let body: string | undefined;
      for (const url of urls) {
        body = await answer(url);
        if (body !== undefined) break;
      }
      if (body === undefined) {
        failed++;
        firstFailedAtMs ??= at;
        outageSinceMs ??= at;
      } else {
        if (outageSinceMs !== undefined) longestOutageMs = Math.max(longestOutageMs, Date.now() - outageSinceMs);
        outageSinceMs = undefined;
        if (newVersionAtMs === undefined && body.includes(newMarker)) newVersionAtMs = Date.now();
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async newVersionSeen(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (newVersionAtMs === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return newVersionAtMs !== undefined;
    },
    async stop() {
      running = false;
      await loop;
      // Still down when polling stopped: the outage lasted at least until now.
      if (outageSinceMs !== undefined) longestOutageMs = Math.max(longestOutageMs, Date.now() - outageSinceMs);
      return {
        service,
        requests,
        failed,
        longestOutageMs,
        ...(firstFailedAtMs ? { firstFailedAtMs } : {}),
        ...(newVersionAtMs ? { newVersionAtMs } : {}),
      };
    },
  };
}

/** Waits until every URL answers 200 with `marker` in its body (a stack fully up on the old version). */
export async function waitServing(urls: string[], marker: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      if ((await answer(url))?.includes(marker)) break;
      if (Date.now() > deadline) throw new Error(`${url} did not serve ${marker} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
