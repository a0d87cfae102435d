/**
 * `dryRun`: the plan, printed and, with `summaryFile`, written as JSON (see report/plan-file.ts);
 * each task hashed and looked up in Nx's cache without restoring anything.
 */
import type { ExecutorContext, Task } from '@nx/devkit';
import { cacheDisabledReason, openTaskCache, type CacheStatus } from '../cache/nx-cache';
import { formatPlan } from '../report/dry-run';
import { resolveOutputPath } from '../report/file-reporters';
import type { Notify } from '../report/notices';
import { buildPlanFile, type PlannedTaskView } from '../report/plan-file';
import type { Terminal } from '../report/terminal';
import { planRun } from '../scheduler/plan-run';
import { writeFileAtomic } from '../state/atomic-write';
import type { Env } from '../worker/task-env';
import type { NormalizedOptions } from './normalize-options';
import { recordedDurations, type GraphPlan } from './plan-graph';

/** Where a dry run says what it found. */
export interface DryRunOutput {
  terminal: Terminal;
  notify: Notify;
}

interface Lookup {
  hash: string | undefined;
  cache: CacheStatus | 'off';
}

async function lookUpTasks(
  plan: GraphPlan,
  order: readonly string[],
  options: NormalizedOptions,
  context: ExecutorContext,
  baseEnv: Env,
  notify: Notify,
): Promise<Map<string, Lookup>> {
  const found = new Map<string, Lookup>(order.map((id) => [id, { hash: undefined, cache: 'off' }]));
  const cache = await openTaskCache(
    {
      root: context.root,
      projectGraph: context.projectGraph,
      nxJson: context.nxJsonConfiguration ?? {},
      taskGraph: plan.inner.taskGraph,
      baseEnv,
      notify,
    },
    options.skipCache,
  );
  if (!cache) return found;
  // Dispatch order is a topological order: each task is hashed after its dependencies.
  for (const id of order) {
    try {
      const { hash, status } = await cache.lookup(id);
      found.set(id, { hash, cache: status });
    } catch (error) {
      notify({ kind: 'cache-lookup-failed', taskId: id, error: String(error) });
      found.set(id, { hash: undefined, cache: 'miss' });
    }
  }
  return found;
}

export async function runDryRun(
  plan: GraphPlan,
  options: NormalizedOptions,
  context: ExecutorContext,
  baseEnv: Env,
  { terminal, notify }: DryRunOutput,
): Promise<void> {
  const workers = Math.min(options.nWorkers, plan.inner.ids.length);
  const simulated = planRun(plan.inner, plan.ranking, workers);
  const lookups = await lookUpTasks(
    plan,
    simulated.tasks.map((task) => task.taskId),
    options,
    context,
    baseEnv,
    notify,
  );
  const tasks: PlannedTaskView[] = simulated.tasks.map((task, index) => {
    const nxTask = plan.inner.taskGraph.tasks[task.taskId] as Task;
    const lookup = lookups.get(task.taskId) ?? { hash: undefined, cache: 'off' };
    return {
      ...task,
      project: nxTask.target.project,
      target: nxTask.target.target,
      configuration: nxTask.target.configuration,
      rank: index + 1,
      hash: lookup.hash,
      cache: lookup.cache,
      dependencies: plan.inner.dependencies[task.taskId] ?? [],
    };
  });
  const view = {
    tasks,
    criticalPath: plan.ranking.criticalPath,
    estimatedMs: simulated.estimatedMs,
    workers,
    backend: options.parallelBackend,
    schedule: options.schedule,
    hasHistory: recordedDurations(plan).size > 0,
    cacheOff: cacheDisabledReason(options.skipCache),
  };
  await terminal.out(formatPlan(view));
  if (options.summaryFile) {
    const path = resolveOutputPath(context.root, options.summaryFile);
    writeFileAtomic(path, `${JSON.stringify(buildPlanFile(view), null, 2)}\n`);
    await terminal.out(`  plan written to ${options.summaryFile}\n`);
  }
}
