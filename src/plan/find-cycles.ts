import type { DependencyGraph } from './dependency-graph';

/**
 * Every dependency cycle, each as the names along it with the first repeated at the end (`a → b → c → a`).
 * One cycle is reported per back edge found by a depth-first search in declaration order, each set of names once.
 * The search keeps its own stack: a chain of thousands of services must not exhaust the call stack.
 */
export function findCycles(graph: DependencyGraph): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const onPath = new Map<string, number>();
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    const frames: Array<{ name: string; next: number }> = [{ name: root, next: 0 }];
    state.set(root, 'visiting');
    onPath.set(root, path.push(root) - 1);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const dependencies = graph.get(frame.name) ?? [];
      if (frame.next >= dependencies.length) {
        frames.pop();
        path.pop();
        onPath.delete(frame.name);
        state.set(frame.name, 'done');
        continue;
      }
      const dependency = dependencies[frame.next++]!;
      if (!graph.has(dependency)) continue;
      const dependencyState = state.get(dependency);
      if (dependencyState === 'visiting') {
        const cycle = [...path.slice(onPath.get(dependency)), dependency];
        const key = [...new Set(cycle)].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (dependencyState === undefined) {
        state.set(dependency, 'visiting');
        onPath.set(dependency, path.push(dependency) - 1);
        frames.push({ name: dependency, next: 0 });
      }
    }
  }
  return cycles;
}
