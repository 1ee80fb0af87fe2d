import type { InstanceSlot } from '../contract/activities';
import type { ServiceSpec } from '../plan/types';

/** Who is asking: the plan and boot a driver names and labels its resources after. */
export interface DriverContext {
  plan: string;
  bootId: string;
  signal?: AbortSignal;
  /**
   * The instance a start-first update addresses (drivers that keep one instance per service ignore it). Absent:
   * start and inspect use `blue`; stop stops every slot (down and a boot's rollback leave nothing behind).
   */
  slot?: InstanceSlot;
}

export interface StartOutcome {
  /** Driver-specific handle (pid, container id, object list), for logs and status. */
  instance: string;
  /** False when a retried or resumed start found what an earlier attempt (or an earlier boot) started. */
  created: boolean;
  /** The boot that created what runs now; rollback only stops what this boot created. */
  ownerBootId: string;
}

export type RuntimeState =
  | {
      phase: 'running';
      detail?: string;
      /** The boot that created it, when the driver records one. */ ownerBootId?: string;
      /** `inspectSteady` only: the target's own readiness says it is not ready now (a rollout, a HEALTHCHECK), and why. */
      notReady?: string;
      /** `inspectSteady` only: how often the target's own engine restarted it (its restart policy), and the last exit. */
      engineRestarts?: { count: number; lastExitCode: number };
    }
  | { phase: 'exited'; exitCode: number; logTail: string }
  | { phase: 'absent' };

export interface StopOutcome {
  /** False when there was nothing to stop. */
  stopped: boolean;
}

export interface ReadinessWatch {
  signal: AbortSignal;
  /** Called with a short human description whenever readiness progresses. */
  onProgress(detail: string): void;
}

/**
 * One target kind (process, docker, kubernetes). Every method is idempotent: resources carry a name or label
 * derived from plan and service, so a retried or resumed call finds what an earlier attempt did.
 */
export interface Driver {
  start(ctx: DriverContext, service: ServiceSpec): Promise<StartOutcome>;
  /** Current state, used to fail fast (exited) and to complete one-shots. */
  inspect(ctx: DriverContext, service: ServiceSpec): Promise<RuntimeState>;
  /**
   * The state after the boot, for supervision: a workload the target's own engine or controller restarted is
   * `running` again (where `inspect` calls a restart during the boot a failure), with its restart count and its
   * native readiness. Drivers without either omit it: supervision then uses `inspect`.
   */
  inspectSteady?(ctx: DriverContext, service: ServiceSpec): Promise<RuntimeState>;
  /**
   * Driver-native readiness (Kubernetes rollout status, a container's HEALTHCHECK): resolves when ready,
   * rejects with TerminalServiceError on a terminal failure. Drivers without one omit it.
   */
  awaitNativeReady?(ctx: DriverContext, service: ServiceSpec, watch: ReadinessWatch): Promise<void>;
  /**
   * Makes ready what a later `start` needs without starting anything (a container created, not started), while the
   * service still waits for its dependencies: once its gate opens, `start` only has to start it. Does nothing when
   * anything already exists for the service. `created`: it made something a rollback must remove. Drivers with
   * nothing to prepare omit it.
   */
  prepare?(ctx: DriverContext, service: ServiceSpec): Promise<{ created: boolean }>;
  /** Stops and removes (or restores what was there before this boot); a no-op when nothing is there. */
  stop(ctx: DriverContext, service: ServiceSpec): Promise<StopOutcome>;
}

export type Drivers = Partial<Record<ServiceSpec['target']['driver'], Driver>>;
