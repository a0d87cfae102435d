/**
 * The number of transitive dependents of every task: how much of the graph waits on it. Bitsets,
 * filled in reverse topological order, keep this linear in edges times tasks / 32.
 */
import type { DependencyGraph } from '../graph/task-graph';

/** Task ids with every dependency before its dependents. */
export function topologicalOrder(graph: DependencyGraph, dependents = invert(graph)): string[] {
  const remaining = new Map(graph.ids.map((id) => [id, graph.dependencies[id]?.length ?? 0]));
  const order = graph.ids.filter((id) => remaining.get(id) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const next of dependents.get(order[i] as string) ?? []) {
      const left = (remaining.get(next) ?? 0) - 1;
      remaining.set(next, left);
      if (left === 0) order.push(next);
    }
  }
  return order;
}

export function invert(graph: DependencyGraph): Map<string, string[]> {
  const dependents = new Map<string, string[]>(graph.ids.map((id) => [id, []]));
  for (const id of graph.ids) for (const dep of graph.dependencies[id] ?? []) dependents.get(dep)?.push(id);
  return dependents;
}

export function countTransitiveDependents(
  graph: DependencyGraph,
  dependents = invert(graph),
  order = topologicalOrder(graph, dependents),
): Map<string, number> {
  const index = new Map(graph.ids.map((id, i) => [id, i]));
  const words = Math.ceil(graph.ids.length / 32);
  const sets = new Map<string, Uint32Array>();
  // A task's set is read once by each of its dependencies; it is dropped after the last read, so
  // only the sets of the graph's current frontier are held, not one per task.
  const readsLeft = new Map(graph.ids.map((id) => [id, graph.dependencies[id]?.length ?? 0]));
  const counts = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const set = new Uint32Array(words);
    for (const dependent of dependents.get(id) ?? []) {
      const i = index.get(dependent) as number;
      set[i >> 5] = (set[i >> 5] as number) | (1 << (i & 31));
      const theirs = sets.get(dependent);
      if (theirs) for (let w = 0; w < words; w++) set[w] = (set[w] as number) | (theirs[w] as number);
      const left = (readsLeft.get(dependent) ?? 1) - 1;
      readsLeft.set(dependent, left);
      if (left === 0) sets.delete(dependent);
    }
    if ((readsLeft.get(id) ?? 0) > 0) sets.set(id, set);
    let count = 0;
    for (const word of set) count += popcount(word);
    counts.set(id, count);
  }
  return counts;
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
