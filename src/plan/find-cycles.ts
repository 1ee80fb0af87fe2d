import type { DependencyGraph } from './dependency-graph';

/**
 * Every dependency cycle, each as the names along it with the first repeated at the end (`a → b → c → a`).
 * One cycle is reported per back edge found by a depth-first search in declaration order, each set of names once.
 */
export function findCycles(graph: DependencyGraph): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of graph.get(name) ?? []) {
      if (!graph.has(dependency)) continue;
      const dependencyState = state.get(dependency);
      if (dependencyState === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(dependency)), dependency];
        const key = [...new Set(cycle)].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (dependencyState === undefined) {
        visit(dependency);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of graph.keys()) if (!state.has(name)) visit(name);
  return cycles;
}
