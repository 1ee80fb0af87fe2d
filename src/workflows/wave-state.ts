import type { DependencyUpdate } from '../contract/messages';
import type { ServicePhase, ServiceStatus, WaveResult } from '../contract/status';
import type { ServiceSpec } from '../plan/types';
import { evaluateGate, settledPhases, type Gate } from './dependency-gate';
import { isFailedPhase } from '../contract/status';

/** Phases worth telling a dependent about: each can open or block a gate. */
const gatePhases: readonly ServicePhase[] = ['probing', 'healthy', 'degraded', 'completed', 'failed', 'skipped'];

export interface WaveStateInput {
  services: ServiceSpec[];
  /** Phases of services outside this wave known at start. */
  known: Record<string, ServicePhase>;
  /** Later waves (workflow IDs) → this wave's services they depend on. */
  subscribers: Record<string, string[]>;
  /** The part of `subscribers` that must hear a service has started; absent in old boots: all of them. */
  startWatchers?: Record<string, string[]>;
  paused: boolean;
  maxParallel?: number;
}

/**
 * A wave's state and every decision on it, with no Temporal API: gates and parallel slots, the outbox of phase
 * changes for later waves, the changes not yet reported to the boot, the abort, and the wave's result.
 * `waveWorkflow` wires it to timers, activities and signals.
 */
export class WaveState {
  readonly statuses: Map<string, ServiceStatus>;
  paused: boolean;
  abortReason: string | undefined;
  private abortedByBoot = false;
  /** Later waves' workflow IDs → phase changes to send them. */
  readonly outbox = new Map<string, DependencyUpdate[]>();
  /** Services whose status changed since the boot last heard (live boot status). */
  readonly unreported = new Set<string>();
  private readonly external: Map<string, ServicePhase>;
  private inFlight = 0;
  /** Skipped because the wave was aborted, not through a fault of their own: not counted as failures. */
  private readonly abortedSkips = new Set<string>();

  constructor(private readonly input: WaveStateInput) {
    this.statuses = new Map(
      input.services.map((s) => [s.name, { name: s.name, wave: s.wave, critical: s.critical, phase: 'pending' }]),
    );
    this.external = new Map(Object.entries(input.known));
    this.paused = input.paused;
  }

  phaseOf = (name: string): ServicePhase | undefined => this.statuses.get(name)?.phase ?? this.external.get(name);

  status(name: string): ServiceStatus {
    return this.statuses.get(name)!;
  }

  /** Later waves (workflow IDs) that want to hear of this phase of `service`. */
  wavesToTell(service: string, phase: ServicePhase): string[] {
    const audience =
      phase === 'probing' ? (this.input.startWatchers ?? this.input.subscribers) : this.input.subscribers;
    return Object.entries(audience).flatMap(([workflowId, needed]) => (needed.includes(service) ? [workflowId] : []));
  }

  /** Records a change of a service's status; `told` are the waves an activity already signalled with it. */
  update(name: string, patch: Partial<ServiceStatus>, told: string[] = []): void {
    Object.assign(this.status(name), patch);
    this.unreported.add(name);
    if (patch.phase === undefined || !gatePhases.includes(patch.phase)) return;
    for (const workflowId of this.wavesToTell(name, patch.phase)) {
      if (told.includes(workflowId)) continue;
      this.outbox.set(workflowId, [...(this.outbox.get(workflowId) ?? []), { service: name, phase: patch.phase }]);
    }
  }

  /** Phases heard from other waves or activities; they can arrive out of order, and a settled phase is final. */
  hear(updates: DependencyUpdate[]): void {
    for (const { service, phase } of updates) {
      const known = this.external.get(service);
      if (known === undefined || !settledPhases.includes(known)) this.external.set(service, phase);
    }
  }

  gate(service: ServiceSpec): Gate {
    return evaluateGate(service.dependsOn, this.phaseOf);
  }

  /**
   * Whether `service` may stop waiting: its gate decided (open and a slot free, or blocked). Claims the slot when
   * open: several services may be released in one activation, before any of them resumes.
   */
  tryRelease(service: ServiceSpec): Gate | undefined {
    const gate = this.gate(service);
    if (gate.verdict === 'wait') this.status(service.name).waitingFor = gate.waitingFor;
    if (gate.verdict === 'blocked') return gate;
    if (gate.verdict === 'wait' || this.paused) return undefined;
    if (this.input.maxParallel !== undefined && this.inFlight >= this.input.maxParallel) return undefined;
    this.inFlight++;
    return gate;
  }

  releaseSlot(): void {
    this.inFlight--;
  }

  /** True the first time: the caller then cancels what runs. */
  /**
   * Aborts the wave, once. `fromBoot`: the boot aborted it (cancelled, or another wave failed critically), so the
   * wave reads as aborted, whatever its services' phases: the boot has its reason already, and what failed here
   * after or because of it (a probe cut short, a dependency of another wave that was cut short) is no news.
   */
  abort(reason: string, fromBoot = false): boolean {
    if (this.abortReason !== undefined) return false;
    this.abortReason = reason;
    this.abortedByBoot = fromBoot;
    return true;
  }

  /** Records why a service did not become ready, and whether that aborts the wave (a critical failure). */
  fail(service: ServiceSpec, cause: { aborted: boolean; message: string }, onFailure: string): string | undefined {
    const status = this.status(service.name);
    const wasStarted = status.phase === 'starting' || status.phase === 'probing';
    const message = cause.aborted ? `not ready: wave aborted (${this.abortReason ?? 'cancelled'})` : cause.message;
    if (cause.aborted && !wasStarted) this.abortedSkips.add(service.name);
    this.update(service.name, { phase: wasStarted ? 'failed' : 'skipped', waitingFor: undefined, error: message });
    return this.abortCause(service, onFailure);
  }

  /** A critical service that failed or was skipped aborts the wave, unless the policy is `continue`. */
  abortCause(service: ServiceSpec, onFailure: string): string | undefined {
    const status = this.status(service.name);
    if (!isFailedPhase(status.phase) || !service.critical || onFailure === 'continue') return undefined;
    if (this.abortReason !== undefined) return undefined;
    return `critical service ${service.name} ${status.phase}: ${status.error}`;
  }

  /** Hosts with a start of this wave that no worker of theirs has taken yet. */
  waitingHosts(): string[] {
    return [...this.statuses.values()].flatMap((s) =>
      s.phase === 'starting' && s.waitingForHost !== undefined ? [s.waitingForHost] : [],
    );
  }

  /** The outbox's batch, emptied. */
  drainOutbox(): [string, DependencyUpdate[]][] {
    const batch = [...this.outbox.entries()];
    this.outbox.clear();
    return batch;
  }

  /** The changed statuses not yet reported to the boot, emptied. */
  drainUnreported(): ServiceStatus[] {
    const changed = [...this.unreported].map((name) => ({ ...this.status(name) }));
    this.unreported.clear();
    return changed;
  }

  result(wave: { name: string; index: number }): WaveResult {
    const all = [...this.statuses.values()];
    if (this.abortedByBoot)
      return { name: wave.name, index: wave.index, phase: 'aborted', services: all, criticalFailures: [] };
    const criticalFailures = all
      .filter((s) => s.critical && isFailedPhase(s.phase) && !this.abortedSkips.has(s.name))
      .map((s) => s.name);
    const anyFailed = all.some((s) => isFailedPhase(s.phase) || s.phase === 'degraded');
    const phase =
      this.abortReason !== undefined && criticalFailures.length === 0
        ? 'aborted'
        : criticalFailures.length > 0
          ? 'failed'
          : anyFailed
            ? 'degraded'
            : 'succeeded';
    return { name: wave.name, index: wave.index, phase, services: all, criticalFailures };
  }
}
