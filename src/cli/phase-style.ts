import type { ServicePhase } from '../contract/status';

/** One symbol per phase, so a glance at the terminal tells what is done, running or broken. */
export const phaseSymbol: Record<ServicePhase, string> = {
  pending: '·',
  waiting: '…',
  starting: '▸',
  probing: '◌',
  healthy: '✔',
  degraded: '◐',
  completed: '✔',
  failed: '✖',
  skipped: '⊘',
  stopped: '■',
  'rolled-back': '↺',
};
