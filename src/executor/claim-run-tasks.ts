/** Claims a run's tasks in the workspace before they start, saying for whom it waits (see state/workspace-runs). */
import type { ExecutorContext } from '@nx/devkit';
import { claimTasks } from '../state/workspace-runs';
import type { NormalizedOptions } from './normalize-options';
import type { Notify } from '../report/notices';
import type { GraphPlan } from './plan-graph';

export function claimRunTasks(
  plan: GraphPlan,
  options: NormalizedOptions,
  context: ExecutorContext,
  notify: Notify,
): Promise<() => void> {
  return claimTasks({
    root: context.root,
    owner: `${context.projectName ?? '?'}:${context.targetName ?? 'parallel'}`,
    taskIds: plan.inner.ids,
    wait: options.waitForOtherRuns,
    onWait: (holder, shared) => notify({ kind: 'waiting-for-run', owner: holder.owner, pid: holder.pid, shared }),
  });
}
