import type { DependencyGraph } from './dependency-graph';

export interface WaveAssignment {
  /** Wave names in boot order: the declared ones, then any added by layering. */
  waveNames: string[];
  /** Service name → wave index. */
  waveOf: Map<string, number>;
}

/**
 * Places every service in a wave. Explicit waves are honoured; a service without one goes to the earliest wave
 * after all its dependencies' waves (wave 0 when it has none) — topological layering. Waves are added, named
 * `wave-<index>`, when layering needs more than were declared. `order` must be a topological order.
 */
export function deriveWaves(
  graph: DependencyGraph,
  order: readonly string[],
  explicitWave: ReadonlyMap<string, number>,
  declaredWaveNames: readonly string[],
): WaveAssignment {
  const waveNames = [...declaredWaveNames];
  const taken = new Set(waveNames);
  const waveOf = new Map<string, number>();
  for (const name of order) {
    let index = explicitWave.get(name);
    if (index === undefined) {
      index = 0;
      for (const dependency of graph.get(name) ?? []) {
        const dependencyWave = waveOf.get(dependency);
        if (dependencyWave !== undefined) index = Math.max(index, dependencyWave + 1);
      }
    }
    while (waveNames.length <= index) {
      let candidate = `wave-${waveNames.length}`;
      while (taken.has(candidate)) candidate += '-x';
      waveNames.push(candidate);
      taken.add(candidate);
    }
    waveOf.set(name, index);
  }
  return { waveNames, waveOf };
}
