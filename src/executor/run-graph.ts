/** A real run: the pool gets the run's context, the scheduler runs the plan, reporters report it. */
import type { ExecutorContext } from '@nx/devkit';
import type { WorkerPool } from '../pool/worker-pool';
import { broadcast } from '../report/create-reporters';
import type { Reporter } from '../report/events';
import { createSummaryFileReporter, createTraceFileReporter, resolveOutputPath } from '../report/file-reporters';
import type { Notify } from '../report/notices';
import { findSpillFailures } from '../report/spill-warning';
import { openTaskCache } from '../cache/nx-cache';
import { createScheduler } from '../scheduler/scheduler';
import type { WorkerInit } from '../worker/protocol';
import { BACKENDS } from './backends/registry';
import { createCacheHooks } from './cache-hooks';
import type { NormalizedOptions } from './normalize-options';
import { onInterrupt } from './on-interrupt';
import { recordedDurations, type GraphPlan } from './plan-graph';

/** The run's terminal reporters, and how warnings and notices reach them. */
export interface RunOutput {
  reporters: readonly Reporter[];
  notify: Notify;
}

export async function runGraph(
  plan: GraphPlan,
  options: NormalizedOptions,
  context: ExecutorContext,
  pool: WorkerPool,
  baseEnv: WorkerInit['baseEnv'],
  { reporters: shown, notify }: RunOutput,
): Promise<boolean> {
  const { inner, history, ranking } = plan;
  await pool.initialize({
    root: context.root,
    cwd: context.cwd,
    isVerbose: context.isVerbose,
    projectGraph: context.projectGraph,
    projectsConfigurations: context.projectsConfigurations,
    nxJsonConfiguration: context.nxJsonConfiguration,
    taskGraph: inner.taskGraph,
    baseEnv,
  });
  const reporters = [...shown];
  if (options.summaryFile)
    reporters.push(createSummaryFileReporter(resolveOutputPath(context.root, options.summaryFile)));
  if (options.profileFile)
    reporters.push(createTraceFileReporter(resolveOutputPath(context.root, options.profileFile)));
  const emit = broadcast(reporters);
  const cache = await openTaskCache(
    {
      root: context.root,
      projectGraph: context.projectGraph,
      nxJson: context.nxJsonConfiguration ?? {},
      taskGraph: inner.taskGraph,
      baseEnv,
      notify,
    },
    options.skipCache,
  );
  const scheduler = createScheduler({
    graph: inner,
    pool,
    priority: ranking.priority,
    emit,
    maxFailures: options.maxFailures,
    retries: options.retries,
    ...(cache ? createCacheHooks(cache, notify) : {}),
  });
  pool.onLost?.((cause) => scheduler.stop(cause));
  const stopOnInterrupt = onInterrupt((signal) => {
    scheduler.stop(`interrupted by ${signal}`);
    void pool.close();
  });
  try {
    const start = Date.now();
    await emit({
      type: 'run-started',
      taskIds: inner.ids,
      tasks: inner.ids.map((taskId) => {
        const { project, target, configuration } = inner.taskGraph.tasks[taskId]?.target ?? { project: '', target: '' };
        return { taskId, project, target, configuration };
      }),
      // The summary file must not carry the Redis password.
      options: { ...options, ...BACKENDS[options.parallelBackend].redactSettings?.(options) },
      dependencies: inner.dependencies,
      recordedMs: recordedDurations(plan),
      // A pool whose workers come and go says how many it has once it knows.
      workers: pool.onSizeChange ? 0 : Math.min(pool.size, inner.ids.length),
      backend: options.parallelBackend,
      start,
    });
    pool.onSizeChange?.((workers) => void emit({ type: 'workers-changed', workers }));
    const records = [...(await scheduler.run()).values()];
    await emit({ type: 'run-finished', records, start, end: Date.now() });
    const spilled = findSpillFailures(records);
    if (spilled) notify(spilled);
    for (const record of records) {
      if (record.result.status === 'succeeded') history.record(record.taskId, record.end - record.start);
      record.output.dispose();
    }
    history.save(notify);
    return records.every((record) => record.result.status === 'succeeded');
  } finally {
    stopOnInterrupt();
  }
}
