import type { ResolvedPlan } from '../plan/types';
import type { ServiceChange } from './plan-diff';
import { batchCount, type UpdateSettings } from './update-settings';

/** Services rolled out together; the next batch starts once this one is healthy through its health window. */
export interface UpdateBatch {
  index: number;
  wave: string;
  /** `roll`: changed and added services get their new version; `remove`: removed services are stopped. */
  action: 'roll' | 'remove';
  services: string[];
}

/**
 * The batches of an update, in dependency order: wave by wave (the new plan's waves), each wave's changed and
 * added services in topological order (dependencies first), at most `batchSize` per batch and never a service in
 * the same batch as one of its own dependencies (it must find the new dependency healthy). Removals come last,
 * dependents first (reverse topological order of the running plan), when nothing in the new plan needs them.
 */
export function updateBatches(
  changes: readonly ServiceChange[],
  running: ResolvedPlan,
  next: ResolvedPlan,
  settings: Pick<UpdateSettings, 'batchSize'>,
): UpdateBatch[] {
  const kinds = new Map(changes.map((c) => [c.service, c.kind]));
  const batches: UpdateBatch[] = [];
  const push = (wave: string, action: UpdateBatch['action'], services: string[]) =>
    batches.push({ index: batches.length, wave, action, services });

  for (const wave of next.waves) {
    const rolled = next.services.filter(
      (s) => s.wave === wave.name && (kinds.get(s.name) === 'changed' || kinds.get(s.name) === 'added'),
    );
    const size = batchCount(settings.batchSize, rolled.length);
    let current: string[] = [];
    for (const service of rolled) {
      const needsCurrent = service.dependsOn.some((d) => current.includes(d.service));
      if (current.length >= size || needsCurrent) {
        push(wave.name, 'roll', current);
        current = [];
      }
      current.push(service.name);
    }
    if (current.length > 0) push(wave.name, 'roll', current);
  }

  const removed = [...running.services].reverse().filter((s) => kinds.get(s.name) === 'removed');
  for (const wave of [...running.waves].reverse()) {
    const inWave = removed.filter((s) => s.wave === wave.name);
    const size = batchCount(settings.batchSize, inWave.length);
    for (let i = 0; i < inWave.length; i += size)
      push(
        wave.name,
        'remove',
        inWave.slice(i, i + size).map((s) => s.name),
      );
  }
  return batches;
}
