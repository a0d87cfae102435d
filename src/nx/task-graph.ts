/** Nx's own `createTaskGraph`, the same on nx 22 to 24 (their edges differ: see graph/task-graph.ts). */
import type { ProjectGraph, TaskGraph } from '@nx/devkit';
import type * as CreateTaskGraph from 'nx/src/tasks-runner/create-task-graph';
import { loadNxInternal } from './load';

export interface NxTaskGraphRequest {
  projectGraph: ProjectGraph;
  projectNames: string[];
  targets: string[];
  configuration: string | undefined;
  /** Nx's `--excludeTaskDependencies`. */
  excludeTaskDependencies: boolean;
}

export function createNxTaskGraph(request: NxTaskGraphRequest): TaskGraph {
  const { createTaskGraph } = loadNxInternal<typeof CreateTaskGraph>('nx/src/tasks-runner/create-task-graph');
  return createTaskGraph(
    request.projectGraph,
    {},
    request.projectNames,
    request.targets,
    request.configuration,
    {},
    request.excludeTaskDependencies,
  );
}
