/** Everything a run decides before it starts a task: the inner graph, the history and the ranking. */
import type { ExecutorContext } from '@nx/devkit';
import { createInnerTaskGraph, type InnerTaskGraph } from '../graph/task-graph';
import type { Notify } from '../report/notices';
import { rankTasks, type TaskRanking } from '../scheduler/rank-tasks';
import { History } from '../state/history';
import type { NormalizedOptions } from './normalize-options';

export interface GraphPlan {
  inner: InnerTaskGraph;
  history: History;
  ranking: TaskRanking;
}

/** The plan of the selected tasks, or undefined (after saying so) when the selection has none. */
export function planGraph(
  options: NormalizedOptions,
  context: ExecutorContext,
  notify: Notify,
  affectedProjects?: readonly string[],
): GraphPlan | undefined {
  const inner = createInnerTaskGraph({
    ...options,
    affectedProjects,
    projectGraph: context.projectGraph,
    nxJson: context.nxJsonConfiguration ?? {},
  });
  if (inner.ids.length === 0) {
    notify({
      kind: 'no-tasks',
      projects: options.projects,
      targets: options.targets,
      affected: affectedProjects !== undefined,
    });
    return undefined;
  }
  const history = History.load(context.root, notify);
  return { inner, history, ranking: rankTasks(inner, options.schedule, (id) => history.estimate(id)) };
}

/** The durations recorded for the tasks of the graph that ran before. */
export function recordedDurations(plan: GraphPlan): Map<string, number> {
  const recorded = new Map<string, number>();
  for (const id of plan.inner.ids) {
    const ms = plan.history.estimate(id);
    if (ms !== undefined) recorded.set(id, ms);
  }
  return recorded;
}
