/**
 * The plan of a run, without running it (`dryRun`): the order tasks would be dispatched in on
 * `workers` workers if every task took its estimated time, each task's level (its depth in the
 * graph) and estimate.
 */
import type { DependencyGraph } from '../graph/task-graph';
import { invert, topologicalOrder } from './count-dependents';
import type { TaskRanking } from './rank-tasks';
import { ReadyQueue } from './ready-queue';

export interface PlannedTask {
  taskId: string;
  level: number;
  estimatedMs: number;
  /** When it would start, in estimated milliseconds from the start of the run. */
  startMs: number;
}

export interface RunPlan {
  tasks: PlannedTask[];
  estimatedMs: number;
}

export function levelsOf(graph: DependencyGraph): Map<string, number> {
  const levels = new Map<string, number>();
  for (const id of topologicalOrder(graph)) {
    levels.set(
      id,
      Math.max(0, ...(graph.dependencies[id] ?? []).map((dependency) => (levels.get(dependency) ?? 0) + 1)),
    );
  }
  return levels;
}

export function planRun(graph: DependencyGraph, ranking: TaskRanking, workers: number): RunPlan {
  const levels = levelsOf(graph);
  const dependents = invert(graph);
  const waitingOn = new Map(graph.ids.map((id) => [id, graph.dependencies[id]?.length ?? 0]));
  const ready = new ReadyQueue(ranking.priority, () => 0);
  for (const id of graph.ids) if (waitingOn.get(id) === 0) ready.push(id);
  // Tasks running in the simulation, as [end time, id], earliest end first.
  const running: Array<[number, string]> = [];
  const tasks: PlannedTask[] = [];
  let now = 0;
  while (tasks.length < graph.ids.length) {
    while (running.length < workers && ready.length > 0) {
      const id = ready.pop() as string;
      const estimatedMs = ranking.estimates.get(id) ?? 0;
      tasks.push({ taskId: id, level: levels.get(id) ?? 0, estimatedMs, startMs: now });
      running.push([now + estimatedMs, id]);
      running.sort((a, b) => a[0] - b[0]);
    }
    const [end, finished] = running.shift() as [number, string];
    now = end;
    for (const dependent of dependents.get(finished) ?? []) {
      const left = (waitingOn.get(dependent) ?? 0) - 1;
      waitingOn.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  const estimatedMs = Math.max(now, ...running.map(([end]) => end));
  return { tasks, estimatedMs };
}
