import type { DependencyGraph } from './dependency-graph';

/**
 * Names ordered so that every service comes after its dependencies, otherwise keeping declaration order as far
 * as possible (a depth-first post-order). Edges to names outside the graph are ignored; cycles must have been
 * rejected before (`findCycles`), a cycle's members are then emitted in visiting order. Iterative, so that a
 * chain of thousands of services does not exhaust the call stack.
 */
export function topologicalOrder(graph: DependencyGraph): string[] {
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const order: string[] = [];
  for (const root of graph.keys()) {
    if (placed.has(root) || visiting.has(root)) continue;
    const frames: Array<{ name: string; next: number }> = [{ name: root, next: 0 }];
    visiting.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const dependencies = graph.get(frame.name) ?? [];
      if (frame.next < dependencies.length) {
        const dependency = dependencies[frame.next++]!;
        if (graph.has(dependency) && !placed.has(dependency) && !visiting.has(dependency)) {
          visiting.add(dependency);
          frames.push({ name: dependency, next: 0 });
        }
        continue;
      }
      frames.pop();
      visiting.delete(frame.name);
      placed.add(frame.name);
      order.push(frame.name);
    }
  }
  return order;
}
