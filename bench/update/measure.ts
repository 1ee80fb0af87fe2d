import { loadavg } from 'node:os';
import { poll, type PollResult } from './poller';
import type { Ran } from './tools';
import type { UpdateSpans } from './update-span';

/** One measured update: a row of the tables. */
export interface UpdateRun {
  scenario: 'docker' | 'process' | 'kubernetes';
  /** The row's label: who applied the change, and how. */
  tool: string;
  run: number;
  /** Command start → command exit: what the user waits for. */
  wallMs: number;
  /** Per changed service: command start → a client first got the new version's answer (undefined: never). */
  newVersionMs: Record<string, number | undefined>;
  /** Every polled service's client, changed and unchanged alike (none on Kubernetes: kwok's pods serve nothing). */
  polls: PollResult[];
  /** bootwave only: where the command's wall time went (see update-span.ts). */
  spans?: UpdateSpans;
  /** bootwave only: each changed service's order and the downtime its own report states. */
  report?: Record<string, { order: string; downtime: string }>;
  load1: number;
}

export interface Target {
  service: string;
  /** Where a client reaches it; in the order a client tries them. */
  urls: string[];
  /** Text in the body of the new version's answer; undefined for a service the change leaves alone. */
  newMarker?: string;
}

/**
 * Runs `command` (the update) with a client polling each target from just before it starts until it has exited
 * and every changed target has served its new version (at most `settleMs` after the exit), plus half a second.
 */
export async function measureUpdate(
  targets: Target[],
  command: () => Promise<Ran>,
  settleMs = 60_000,
): Promise<{
  ran: Ran;
  wallMs: number;
  newVersionMs: Record<string, number | undefined>;
  polls: PollResult[];
  load1: number;
}> {
  const load1 = loadavg()[0]!;
  const pollers = targets.map((t) => ({ target: t, poller: poll(t.service, t.urls, t.newMarker ?? '\u0000') }));
  let ran: Ran | undefined;
  let failure: unknown;
  try {
    ran = await command();
    for (const { target, poller } of pollers) if (target.newMarker) await poller.newVersionSeen(settleMs);
    await new Promise((r) => setTimeout(r, 500));
  } catch (error) {
    failure = error;
  }
  const polls = await Promise.all(pollers.map(({ poller }) => poller.stop()));
  if (ran === undefined) throw failure;
  // Relative to the command's start, as every time of a run.
  for (const p of polls) {
    if (p.firstFailedAtMs !== undefined) p.firstFailedAtMs -= ran.startedAtMs;
    if (p.newVersionAtMs !== undefined) p.newVersionAtMs -= ran.startedAtMs;
  }
  const newVersionMs: Record<string, number | undefined> = {};
  for (const t of targets) {
    if (!t.newMarker) continue;
    newVersionMs[t.service] = polls.find((p) => p.service === t.service)?.newVersionAtMs;
  }
  return { ran, wallMs: ran.endedAtMs - ran.startedAtMs, newVersionMs, polls, load1 };
}
