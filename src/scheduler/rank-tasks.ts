/**
 * How ready tasks are ranked (`schedule`):
 * - `critical-path`: by the longest remaining path from the task to the end of the graph, weighted
 *   by estimated durations (recorded history; a task without history counts as the median of the
 *   known ones, and with no history at all every task counts 1, so the path is a count of tasks);
 *   ties go to the task with more transitive dependents, then to graph order.
 * - `fifo`: graph order.
 */
import type { DependencyGraph } from '../graph/task-graph';
import { countTransitiveDependents, invert, topologicalOrder } from './count-dependents';

export type Schedule = 'critical-path' | 'fifo';

export interface TaskRanking {
  /** Higher runs first; no two tasks share a priority. */
  priority: (taskId: string) => number;
  /** The longest path through the graph by estimated duration, first task first. */
  criticalPath: { taskIds: string[]; estimatedMs: number };
  /** The duration assumed for each task, in milliseconds (1 per task when nothing is known). */
  estimates: ReadonlyMap<string, number>;
}

function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function estimateDurations(
  graph: DependencyGraph,
  recorded: (taskId: string) => number | undefined,
): Map<string, number> {
  const known = graph.ids.map(recorded).filter((ms): ms is number => ms !== undefined);
  const fallback = median(known) ?? 1;
  return new Map(graph.ids.map((id) => [id, recorded(id) ?? fallback]));
}

export function rankTasks(
  graph: DependencyGraph,
  schedule: Schedule,
  recorded: (taskId: string) => number | undefined,
): TaskRanking {
  const estimates = estimateDurations(graph, recorded);
  const dependents = invert(graph);
  // Longest remaining path, including the task itself, and the next task on it.
  const remaining = new Map<string, number>();
  const next = new Map<string, string>();
  const order = topologicalOrder(graph, dependents);
  for (const id of [...order].reverse()) {
    let best = 0;
    for (const dependent of dependents.get(id) ?? []) {
      const length = remaining.get(dependent) ?? 0;
      if (length > best) {
        best = length;
        next.set(id, dependent);
      }
    }
    remaining.set(id, (estimates.get(id) ?? 1) + best);
  }
  const position = new Map(graph.ids.map((id, i) => [id, i]));
  const counts =
    schedule === 'critical-path' ? countTransitiveDependents(graph, dependents, order) : new Map<string, number>();
  const ordered = [...graph.ids];
  if (schedule === 'critical-path') {
    ordered.sort(
      (a, b) =>
        (remaining.get(b) ?? 0) - (remaining.get(a) ?? 0) ||
        (counts.get(b) ?? 0) - (counts.get(a) ?? 0) ||
        (position.get(a) ?? 0) - (position.get(b) ?? 0),
    );
  }
  const rank = new Map(ordered.map((id, i) => [id, ordered.length - i]));
  let start = [...remaining.entries()].reduce<[string, number] | undefined>(
    (best, entry) => (!best || entry[1] > best[1] ? entry : best),
    undefined,
  )?.[0];
  const taskIds: string[] = [];
  for (; start !== undefined; start = next.get(start)) taskIds.push(start);
  return {
    priority: (id) => rank.get(id) ?? 0,
    criticalPath: { taskIds, estimatedMs: taskIds.reduce((sum, id) => sum + (estimates.get(id) ?? 0), 0) },
    estimates,
  };
}
