import { formatSize, parseSize } from './size';
import { ms } from './resolve-service-parts';
import type { PlanFile } from './plan-schema';
import { memoryOf, type Report, type ServiceEntry } from './service-entry';
import type { Dependency, WaveSpec } from './types';

export interface WaveLayout {
  order: readonly string[];
  waveNames: readonly string[];
  waveOf: ReadonlyMap<string, number>;
  declaredWaves: NonNullable<PlanFile['waves']>;
  entries: ReadonlyMap<string, ServiceEntry>;
  dependencies: ReadonlyMap<string, Dependency[]>;
}

/**
 * The resolved waves, reporting dependencies on a later wave and waves whose services need more memory than
 * the wave's budget (both numbers and each service's share, in binary units).
 */
export function buildWaves(layout: WaveLayout, report: Report): WaveSpec[] {
  const { order, waveNames, waveOf, declaredWaves, entries, dependencies } = layout;
  for (const name of order) {
    const own = waveOf.get(name)!;
    for (const dependency of dependencies.get(name) ?? []) {
      const theirs = waveOf.get(dependency.service)!;
      if (theirs <= own) continue;
      const index = (entries.get(name)?.spec?.dependsOn ?? []).findIndex(
        (d) => (typeof d === 'string' ? d : d.service) === dependency.service,
      );
      report(
        `services.${name}.dependsOn[${index}]`,
        `depends on "${dependency.service}" in wave "${waveNames[theirs]}", which boots after this service's wave "${waveNames[own]}"`,
      );
    }
  }
  const byWave = waveNames.map((): string[] => []);
  for (const name of order) byWave[waveOf.get(name)!]!.push(name);
  return waveNames.map((waveName, index) => {
    const declared = declaredWaves[index];
    const services = byWave[index]!;
    const budget = declared?.memoryBudget === undefined ? undefined : parseSize(declared.memoryBudget);
    if (budget !== undefined) {
      const memory = services.map((s) => [s, memoryOf(entries.get(s)!)] as const).filter(([, bytes]) => bytes > 0);
      const total = memory.reduce((sum, [, bytes]) => sum + bytes, 0);
      if (total > budget) {
        const parts = memory.map(([s, bytes]) => `${s} ${formatSize(bytes)}`).join(', ');
        report(
          `waves[${index}].memoryBudget`,
          `wave "${waveName}" needs ${formatSize(total)} (${parts}), over its memory budget of ${formatSize(budget)}`,
        );
      }
    }
    return {
      name: waveName,
      index,
      ...(budget === undefined ? {} : { memoryBudgetBytes: budget }),
      ...(declared?.deadline === undefined ? {} : { deadlineMs: ms(declared.deadline) }),
      ...(declared?.host === undefined ? {} : { host: declared.host }),
      services,
    };
  });
}
