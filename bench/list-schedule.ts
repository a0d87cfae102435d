/**
 * What a list scheduler achieves on paper: an event simulation with no timer or dispatch cost, the
 * noise-free counterpart of a timed run. Also the lower bound any schedule is measured against.
 */
import type { DependencyGraph } from '../src/graph/task-graph';

/** max(longest path, total work / workers), in duration units. */
export function lowerBound(graph: DependencyGraph, durations: ReadonlyMap<string, number>, workers: number): number {
  const finish = new Map<string, number>();
  const visit = (id: string): number => {
    const known = finish.get(id);
    if (known !== undefined) return known;
    let start = 0;
    for (const dependency of graph.dependencies[id] ?? []) start = Math.max(start, visit(dependency));
    const end = start + (durations.get(id) ?? 0);
    finish.set(id, end);
    return end;
  };
  const longestPath = Math.max(...graph.ids.map(visit));
  const work = graph.ids.reduce((sum, id) => sum + (durations.get(id) ?? 0), 0);
  return Math.max(longestPath, work / workers);
}

/** The makespan of list scheduling with `priority` (higher first) on `workers` workers. */
export function simulateMakespan(
  graph: DependencyGraph,
  durations: ReadonlyMap<string, number>,
  workers: number,
  priority: (taskId: string) => number,
): number {
  const waitingOn = new Map(graph.ids.map((id) => [id, graph.dependencies[id]?.length ?? 0]));
  const dependents = new Map<string, string[]>();
  for (const id of graph.ids) {
    for (const dependency of graph.dependencies[id] ?? [])
      dependents.set(dependency, [...(dependents.get(dependency) ?? []), id]);
  }
  const ready = graph.ids.filter((id) => waitingOn.get(id) === 0);
  let running: Array<{ id: string; end: number }> = [];
  let now = 0;
  while (ready.length || running.length) {
    ready.sort((a, b) => priority(b) - priority(a));
    while (running.length < workers && ready.length) {
      const id = ready.shift() as string;
      running.push({ id, end: now + (durations.get(id) ?? 0) });
    }
    now = Math.min(...running.map((task) => task.end));
    const finished = running.filter((task) => task.end === now);
    running = running.filter((task) => task.end !== now);
    for (const { id } of finished) {
      for (const dependent of dependents.get(id) ?? []) {
        const left = (waitingOn.get(dependent) ?? 0) - 1;
        waitingOn.set(dependent, left);
        if (left === 0) ready.push(dependent);
      }
    }
  }
  return now;
}
