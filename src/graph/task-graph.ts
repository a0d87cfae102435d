/**
 * The one adapter to Nx's task graph: builds it with Nx's own `createTaskGraph` (so `dependsOn`,
 * `targetDefaults` and configurations mean what they mean to Nx), reads its edges as plain task ids
 * for the scheduler, and refuses what cannot run.
 */
import type { NxJsonConfiguration, ProjectGraph, Task, TaskGraph } from '@nx/devkit';
import { ContinuousTaskError, CycleError, SelfSelectionError } from '../errors';
import { createNxTaskGraph } from '../nx/task-graph';
import { findCycle } from './find-cycle';
import { selectProjects, type ProjectSelection } from './select-projects';

/** The executor name that marks a target as an nx-parallel target. */
export const PARALLEL_EXECUTOR = 'nx-parallel:parallel';

/** Task ids and their dependencies; `ids` keeps Nx's graph order. */
export interface DependencyGraph {
  ids: readonly string[];
  dependencies: Readonly<Record<string, readonly string[]>>;
}

export interface InnerTaskGraph extends DependencyGraph {
  /**
   * Nx's own task graph, edges as Nx made them: Nx's hasher and the executors (`context.taskGraph`)
   * read it as they read any Nx task graph.
   */
  taskGraph: TaskGraph;
}

export interface TaskGraphRequest extends ProjectSelection {
  projectGraph: ProjectGraph;
  nxJson: NxJsonConfiguration;
  configuration: string | undefined;
  onlySelected: boolean;
}

/** nx 24 edges are objects `{ id, ... }`; older versions used plain ids. */
type Edge = string | { id: string };
const edgeId = (edge: Edge): string => (typeof edge === 'string' ? edge : edge.id);

/** A task graph's edges as plain task ids (Nx's own edges, as in `InnerTaskGraph.taskGraph`). */
export function normaliseEdges(edges: Readonly<Record<string, readonly Edge[]>> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, list] of Object.entries(edges ?? {})) out[id] = list.map(edgeId);
  return out;
}

/** Every task `taskId` depends on, directly or not. */
export function transitiveDependencies(
  dependencies: Readonly<Record<string, readonly string[]>>,
  taskId: string,
): Set<string> {
  const found = new Set<string>();
  const stack = [taskId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const dependency of dependencies[id] ?? []) {
      if (!found.has(dependency)) {
        found.add(dependency);
        stack.push(dependency);
      }
    }
  }
  return found;
}

function refuseUnrunnable(
  graph: TaskGraph,
  projectGraph: ProjectGraph,
  continuousEdges: Record<string, string[]>,
): void {
  const tasks = Object.values(graph.tasks);
  const self = tasks.filter(
    (task: Task) =>
      projectGraph.nodes[task.target.project]?.data.targets?.[task.target.target]?.executor === PARALLEL_EXECUTOR,
  );
  if (self.length) throw new SelfSelectionError(self.map((task) => task.id));
  const dependents = Object.entries(continuousEdges)
    .filter(([, continuous]) => continuous.length > 0)
    .map(([taskId, continuous]) => ({ taskId, continuous }));
  const continuous = tasks.filter((task) => task.continuous).map((task) => task.id);
  if (dependents.length || continuous.length) throw new ContinuousTaskError(continuous, dependents);
}

/** Builds the graph of the tasks `nx run-many` would run for the same selection. */
export function createInnerTaskGraph(request: TaskGraphRequest): InnerTaskGraph {
  const projectNames = selectProjects(request.projectGraph.nodes, request);
  const raw = createNxTaskGraph({
    projectGraph: request.projectGraph,
    projectNames,
    targets: [...request.targets],
    configuration: request.configuration,
    excludeTaskDependencies: request.onlySelected,
  }) as TaskGraph & { continuousDependencies?: Record<string, Edge[]> };
  const dependencies = normaliseEdges(raw.dependencies);
  const continuousDependencies = normaliseEdges(raw.continuousDependencies);
  refuseUnrunnable(raw, request.projectGraph, continuousDependencies);
  const ids = Object.keys(raw.tasks);
  for (const id of ids) dependencies[id] ??= [];
  const cycle = findCycle(dependencies);
  if (cycle) throw new CycleError(cycle);
  return { ids, dependencies, taskGraph: raw };
}
