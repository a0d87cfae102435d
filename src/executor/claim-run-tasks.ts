/** Claims a run's tasks in the workspace before they start, saying for whom it waits (see state/workspace-runs). */
import { output, type ExecutorContext } from '@nx/devkit';
import { claimTasks } from '../state/workspace-runs';
import type { NormalizedOptions } from './normalize-options';
import type { GraphPlan } from './plan-graph';

export function claimRunTasks(
  plan: GraphPlan,
  options: NormalizedOptions,
  context: ExecutorContext,
): Promise<() => void> {
  return claimTasks({
    root: context.root,
    owner: `${context.projectName ?? '?'}:${context.targetName ?? 'parallel'}`,
    taskIds: plan.inner.ids,
    wait: options.waitForOtherRuns,
    onWait: (holder, shared) =>
      output.note({
        title: `Waiting for the nx-parallel run of ${holder.owner} (pid ${holder.pid}) to end`,
        bodyLines: [
          `It is building ${shared.length} of this run's tasks (${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ', ...' : ''}); never are two builds of one task run at once.`,
          `Pass --waitForOtherRuns=false to refuse instead of waiting.`,
        ],
      }),
  });
}
