/** `graphFile`: the inner task graph written as DOT, Mermaid or JSON, with the critical path marked. */
import type { ExecutorContext } from '@nx/devkit';
import { resolveOutputPath } from '../report/file-reporters';
import { formatGraph, graphFormatOf } from '../report/graph-file';
import { writeFileAtomic } from '../state/atomic-write';
import type { NormalizedOptions } from './normalize-options';
import type { GraphPlan } from './plan-graph';

export function writeGraphFile(plan: GraphPlan, options: NormalizedOptions, context: ExecutorContext): void {
  if (!options.graphFile) return;
  const format = graphFormatOf(options.graphFile);
  // normalizeOptions refused any other extension.
  if (!format) return;
  const text = formatGraph(format, {
    ids: plan.inner.ids,
    dependencies: plan.inner.dependencies,
    criticalPath: plan.ranking.criticalPath.taskIds,
  });
  writeFileAtomic(resolveOutputPath(context.root, options.graphFile), text);
}
