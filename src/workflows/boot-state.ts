import { waveWorkflowId } from '../contract/ids';
import type {
  BootControlState,
  BootPhase,
  BootStatus,
  ServicePhase,
  ServiceStatus,
  WaveResult,
} from '../contract/status';
import { finishedPhases } from '../contract/status';
import type { BootOptions } from '../plan/boot-input';
import type { ResolvedPlan, ServiceSpec } from '../plan/types';

/** Later waves' workflow IDs → this wave's services they depend on (`all`), and on being started (`onStart`). */
export interface Subscribers {
  all: Record<string, string[]>;
  onStart: Record<string, string[]>;
}

export type BootControl = 'pause' | 'resume' | 'cancel';

/** How a boot ends once its waves are done: its phase, or a rollback to run first. */
export type Settlement = { phase: BootPhase } | { rollback: true };

/**
 * A boot's state and every decision on it, with no Temporal API: what each wave is told at its start, what its
 * result and live progress change, the controls, and how the boot settles. `bootWorkflow` wires it to child
 * workflows, signals and activities.
 */
export class BootState {
  readonly status: BootStatus;
  readonly services: Map<string, ServiceStatus>;

  constructor(
    readonly plan: ResolvedPlan,
    readonly options: BootOptions,
    ids: { bootId: string; workflowId: string },
    startedAtMs: number,
  ) {
    this.services = new Map(
      plan.services.map((s) => [s.name, { name: s.name, wave: s.wave, critical: s.critical, phase: 'pending' }]),
    );
    this.status = {
      plan: plan.name,
      bootId: ids.bootId,
      workflowId: ids.workflowId,
      strategy: options.strategy,
      onFailure: options.onFailure,
      phase: 'running',
      paused: false,
      cancelRequested: false,
      waves: plan.waves.map((w) => ({
        name: w.name,
        index: w.index,
        phase: 'pending',
        workflowId: waveWorkflowId(ids.workflowId, w),
      })),
      services: [],
      startedAtMs,
    };
  }

  snapshot(): BootStatus {
    return { ...this.status, services: [...this.services.values()] };
  }

  controlState(): BootControlState {
    return { phase: this.status.phase, paused: this.status.paused, cancelRequested: this.status.cancelRequested };
  }

  /** Why a control cannot apply now, or undefined when it can (the Update's validator). */
  refusal(control: BootControl): string | undefined {
    if (finishedPhases.includes(this.status.phase)) return `the boot has already ${this.status.phase}`;
    if (this.status.phase === 'rolling-back') return 'the boot is rolling back';
    if (control !== 'cancel' && this.status.cancelRequested) return 'the boot is being cancelled';
    return undefined;
  }

  /** Applies a control; true when it changed something (the waves are then told). */
  apply(control: BootControl, reason?: string): boolean {
    if (control === 'cancel') {
      if (this.status.cancelRequested) return false;
      this.status.cancelRequested = true;
      this.status.failure ??= `cancelled${reason ? `: ${reason}` : ''}`;
      return true;
    }
    const paused = control === 'pause';
    if (this.status.paused === paused) return false;
    this.status.paused = paused;
    return true;
  }

  /** Stop starting waves: cancelled, or a failure under a policy other than `continue`. */
  mustStop(): boolean {
    return this.status.cancelRequested || (this.status.failure !== undefined && this.options.onFailure !== 'continue');
  }

  /**
   * Live progress of a running wave (its services' statuses), ignored once the wave's result is in. It can come in
   * the same activation as the child's start, before `waveStarted`: a pending wave is heard too.
   */
  hearProgress(waveIndex: number, services: ServiceStatus[]): void {
    const phase = this.status.waves[waveIndex]?.phase;
    if (phase !== 'running' && phase !== 'pending') return;
    for (const service of services) this.services.set(service.name, service);
  }

  waveStarted(index: number): void {
    this.status.waves[index]!.phase = 'running';
  }

  /** A wave's result; returns the failure to abort the other waves with, the first time a critical one fails. */
  absorb(result: WaveResult): string | undefined {
    this.status.waves[result.index]!.phase = result.phase;
    for (const service of result.services) this.services.set(service.name, service);
    if (result.criticalFailures.length === 0 || this.status.failure !== undefined) return undefined;
    const first = this.services.get(result.criticalFailures[0]!)!;
    this.status.failure = `critical service ${first.name} ${first.phase}: ${first.error ?? 'unknown error'}`;
    return this.options.onFailure === 'continue' ? undefined : this.status.failure;
  }

  /** Every service's phase as far as this boot knows: a wave tells "not heard of yet" from "not in the boot". */
  knownPhases(): Record<string, ServicePhase> {
    return Object.fromEntries([...this.services.values()].map((s) => [s.name, s.phase]));
  }

  /** After a stop: waves that never ran are aborted, services that never started are skipped. */
  markUnstarted(): void {
    if (!this.status.cancelRequested && this.status.failure === undefined) return;
    for (const view of this.status.waves) if (view.phase === 'pending') view.phase = 'aborted';
    for (const service of this.services.values()) {
      if (service.phase === 'pending') Object.assign(service, { phase: 'skipped', error: this.status.failure });
    }
  }

  /** The failure policy applied: the final phase, or a rollback to run first. */
  settlement(): Settlement {
    const { failure, cancelRequested } = this.status;
    if (failure === undefined && !cancelRequested) {
      const allReady = [...this.services.values()].every((s) => s.phase === 'healthy' || s.phase === 'completed');
      return { phase: allReady ? 'succeeded' : 'degraded' };
    }
    if (this.options.onFailure === 'continue' && !cancelRequested) return { phase: 'degraded' };
    if (this.options.onFailure !== 'rollback') return { phase: cancelRequested ? 'cancelled' : 'halted' };
    return { rollback: true };
  }

  /** The phase after a rollback that did (or did not) stop everything. */
  afterRollback(complete: boolean): BootPhase {
    if (!complete) {
      this.status.failure = `${this.status.failure}; rollback incomplete`;
      return 'failed';
    }
    return this.status.cancelRequested ? 'cancelled' : 'rolled-back';
  }

  /** What this boot started, newest first: the order of a rollback. */
  rollbackOrder(): { status: ServiceStatus; spec: ServiceSpec }[] {
    const specs = new Map(this.plan.services.map((s) => [s.name, s]));
    const order = this.plan.services.map((s) => s.name);
    return [...this.services.values()]
      .filter((s) => s.startRequested)
      .sort((a, b) => (b.startedAtMs ?? 0) - (a.startedAtMs ?? 0) || order.indexOf(b.name) - order.indexOf(a.name))
      .map((status) => ({ status, spec: specs.get(status.name)! }));
  }

  /** What wave `index` is told at its start: its services, and the phases it needs from other waves. */
  waveMembers(index: number): { services: ServiceSpec[]; known: Record<string, ServicePhase> } {
    const members = new Set(this.plan.waves[index]!.services);
    const services = this.plan.services.filter((s) => members.has(s.name));
    const dependencies = new Set(services.flatMap((s) => s.dependsOn.map((d) => d.service)));
    const known = Object.fromEntries(
      Object.entries(this.knownPhases()).filter(([name]) => dependencies.has(name) && !members.has(name)),
    );
    return { services, known };
  }
}

/** For wave `index`: the later waves to tell when one of its services starts or settles. */
export function subscribersOf(plan: ResolvedPlan, index: number, workflowIdOf: (index: number) => string): Subscribers {
  const waveIndex = new Map(plan.waves.flatMap((w) => w.services.map((name) => [name, w.index] as const)));
  const subscribers: Subscribers = { all: {}, onStart: {} };
  const add = (into: Record<string, string[]>, id: string, service: string) =>
    (into[id] = [...new Set([...(into[id] ?? []), service])]);
  for (const service of plan.services) {
    const dependentWave = waveIndex.get(service.name)!;
    if (dependentWave === index) continue;
    for (const dependency of service.dependsOn) {
      if (waveIndex.get(dependency.service) !== index) continue;
      const id = workflowIdOf(dependentWave);
      add(subscribers.all, id, dependency.service);
      if (dependency.condition === 'started') add(subscribers.onStart, id, dependency.service);
    }
  }
  return subscribers;
}
