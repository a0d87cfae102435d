/** What a finished run shows about itself: its critical path and its slowest tasks. */
import type { TaskRecord } from './events';

export interface RunPath {
  taskIds: string[];
  ms: number;
}

/**
 * The chain of tasks that decided the run's length: from the task that finished last, back
 * through the dependency each task waited for longest (the one that finished last).
 */
export function criticalPathOfRun(
  records: readonly TaskRecord[],
  dependencies: Readonly<Record<string, readonly string[]>>,
): RunPath {
  const byId = new Map(records.map((record) => [record.taskId, record]));
  const ran = records.filter((record) => record.attempts > 0);
  let current = ran.reduce<TaskRecord | undefined>(
    (last, record) => (!last || record.end > last.end ? record : last),
    undefined,
  );
  const path: TaskRecord[] = [];
  while (current) {
    path.unshift(current);
    current = (dependencies[current.taskId] ?? [])
      .map((id) => byId.get(id))
      .filter((record): record is TaskRecord => record !== undefined && record.attempts > 0)
      .reduce<TaskRecord | undefined>((last, record) => (!last || record.end > last.end ? record : last), undefined);
  }
  return {
    taskIds: path.map((record) => record.taskId),
    ms: path.reduce((sum, record) => sum + record.end - record.start, 0),
  };
}

export function slowestTasks(records: readonly TaskRecord[], count: number): TaskRecord[] {
  return records
    .filter((record) => record.attempts > 0)
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, count);
}
