import type { DependencyGraph } from './dependency-graph';

/**
 * Names ordered so that every service comes after its dependencies, otherwise keeping declaration order as far
 * as possible (a depth-first post-order). Edges to names outside the graph are ignored; cycles must have been
 * rejected before (`findCycles`), a cycle's members are then emitted in visiting order.
 */
export function topologicalOrder(graph: DependencyGraph): string[] {
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const visit = (name: string): void => {
    if (placed.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const dependency of graph.get(name) ?? []) if (graph.has(dependency)) visit(dependency);
    visiting.delete(name);
    placed.add(name);
    order.push(name);
  };
  for (const name of graph.keys()) visit(name);
  return order;
}
