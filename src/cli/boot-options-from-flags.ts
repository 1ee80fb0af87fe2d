import { parseDuration } from '../plan/duration';
import { FailurePolicies, Strategies, type BootOptions } from '../plan/boot-input';

export interface BootFlags {
  strategy?: string;
  onFailure?: string;
  maxParallel?: string;
  rollbackTimeout?: string;
}

/** Flags → boot options, or the first problem as a user-facing message. */
export function bootOptionsFromFlags(flags: BootFlags): Partial<BootOptions> | string {
  const options: Partial<BootOptions> = {};
  if (flags.strategy !== undefined) {
    if (!(Strategies as readonly string[]).includes(flags.strategy))
      return `--strategy must be one of ${Strategies.join(', ')}, not "${flags.strategy}"`;
    options.strategy = flags.strategy as BootOptions['strategy'];
  }
  if (flags.onFailure !== undefined) {
    if (!(FailurePolicies as readonly string[]).includes(flags.onFailure)) {
      return `--on-failure must be one of ${FailurePolicies.join(', ')}, not "${flags.onFailure}"`;
    }
    options.onFailure = flags.onFailure as BootOptions['onFailure'];
  }
  if (flags.maxParallel !== undefined) {
    const n = Number(flags.maxParallel);
    if (!Number.isInteger(n) || n < 1)
      return `--max-parallel must be a whole number of at least 1, not "${flags.maxParallel}"`;
    options.maxParallel = n;
  }
  if (flags.rollbackTimeout !== undefined) {
    const ms = parseDuration(flags.rollbackTimeout);
    if (ms === undefined) return `--rollback-timeout must be a duration like 90s or 5m, not "${flags.rollbackTimeout}"`;
    options.rollbackTimeoutMs = ms;
  }
  return options;
}
