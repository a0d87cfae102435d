/**
 * Refuses, before anything runs, a graph with a task whose executor Nx cannot find: one clear line
 * instead of a failure per task with a stack through the worker.
 */
import type { ProjectGraph, TaskGraph } from '@nx/devkit';
import { ExecutorNotFoundError } from '../errors';
import { findExecutorProblem } from '../nx/executor-resolution';

export function refuseMissingExecutors(taskGraph: TaskGraph, projectGraph: ProjectGraph, root: string): void {
  const tasksOf = new Map<string, string[]>();
  for (const task of Object.values(taskGraph.tasks)) {
    const executor = projectGraph.nodes[task.target.project]?.data.targets?.[task.target.target]?.executor;
    if (typeof executor !== 'string' || !executor.includes(':')) continue;
    tasksOf.set(executor, [...(tasksOf.get(executor) ?? []), task.id]);
  }
  for (const [executor, taskIds] of tasksOf) {
    const problem = findExecutorProblem(executor, root, projectGraph);
    if (problem !== undefined) throw new ExecutorNotFoundError(executor, taskIds, problem);
  }
}
