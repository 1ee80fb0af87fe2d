import type { ProbeProgress } from '../contract/activities';
import type { CompositeProbe, LeafProbe, ProbeSpec, ProbeTiming } from '../plan/types';
import type { ProbeResult } from './probe-result';

/** A check as a list of stages; a plain check is one critical stage without its own budget. */
export interface Stage {
  name: string;
  check: LeafProbe | CompositeProbe;
  timeoutMs?: number;
  critical: boolean;
}

export function stagesOf(probe: ProbeSpec): Stage[] {
  return probe.kind === 'staged' ? probe.stages : [{ name: probe.kind, check: probe, critical: true }];
}

export function initialProgress(stages: Stage[], nowMs: number): ProbeProgress {
  return {
    startedAtMs: nowMs,
    attempts: 0,
    stage: 0,
    stages: stages.length,
    stageName: stages[0]?.name,
    stageStartedAtMs: nowMs,
    consecutiveSuccesses: 0,
    consecutiveFailures: 0,
    lastOutput: '',
    degraded: [],
  };
}

export type Verdict = 'pending' | 'healthy' | 'degraded' | 'failed';

export interface Judgement {
  progress: ProbeProgress;
  verdict: Verdict;
  /** When to probe next (`pending` only). */
  delayMs: number;
  /** Why the check failed (`failed` only). */
  reason?: string;
}

/**
 * Folds one probe result into the progress. Pure, so every threshold rule is tested on plain data:
 * failures inside the start period do not count; `retries` consecutive failures fail a plain check; a stage with
 * its own budget fails when the budget runs out; a failed non-critical stage leaves the service degraded and the
 * next stage begins; `successThreshold` consecutive passes pass a stage. Probes come every `startIntervalMs`
 * during the start period and every `intervalMs` after it.
 */
export function judgeProbe(
  progress: ProbeProgress,
  result: ProbeResult,
  stages: Stage[],
  timing: ProbeTiming,
  nowMs: number,
): Judgement {
  const stage = stages[progress.stage]!;
  const inStartPeriod = nowMs - progress.startedAtMs < timing.startPeriodMs;
  const delayMs = inStartPeriod ? timing.startIntervalMs : timing.intervalMs;
  const next: ProbeProgress = { ...progress, attempts: progress.attempts + 1, lastOutput: result.output };

  if (result.ok) {
    next.consecutiveSuccesses++;
    next.consecutiveFailures = 0;
    if (next.consecutiveSuccesses < timing.successThreshold) return { progress: next, verdict: 'pending', delayMs };
    return advance(next, stages, nowMs, delayMs);
  }
  next.consecutiveSuccesses = 0;
  if (!inStartPeriod) next.consecutiveFailures++;
  const budgetSpent = stage.timeoutMs !== undefined && nowMs - progress.stageStartedAtMs >= stage.timeoutMs;
  const retriesSpent = stage.timeoutMs === undefined && next.consecutiveFailures >= timing.retries;
  if (!budgetSpent && !retriesSpent) return { progress: next, verdict: 'pending', delayMs };

  const why = budgetSpent
    ? `not passing after ${stage.timeoutMs} ms`
    : `failed ${next.consecutiveFailures} times in a row`;
  const reason = `${stages.length > 1 ? `stage ${stage.name} ` : ''}${why}: ${result.output}`;
  if (stage.critical) return { progress: next, verdict: 'failed', delayMs: 0, reason };
  next.degraded = [...next.degraded, stage.name];
  return advance(next, stages, nowMs, delayMs);
}

/** The current stage is over (passed or tolerated): start the next one at once, or give the final verdict. */
function advance(progress: ProbeProgress, stages: Stage[], nowMs: number, delayMs: number): Judgement {
  if (progress.stage + 1 >= stages.length) {
    return { progress, verdict: progress.degraded.length > 0 ? 'degraded' : 'healthy', delayMs };
  }
  const stage = progress.stage + 1;
  return {
    progress: {
      ...progress,
      stage,
      stageName: stages[stage]!.name,
      stageStartedAtMs: nowMs,
      consecutiveSuccesses: 0,
      consecutiveFailures: 0,
    },
    verdict: 'pending',
    delayMs: 0,
  };
}
