/**
 * The Nx entry of `nx-parallel:parallel`: options -> graph -> scheduler on a worker pool ->
 * reporters. The only place that decides the run's result.
 */
import { output, type ExecutorContext, type Task } from '@nx/devkit';
import { NxParallelError } from '../errors';
import { createInnerTaskGraph } from '../graph/task-graph';
import { broadcast, createReporters } from '../report/create-reporters';
import { removeSpilledOutput } from '../report/task-output';
import { flushOut } from '../report/terminal';
import { rankTasks } from '../scheduler/rank-tasks';
import { createScheduler } from '../scheduler/scheduler';
import type { WorkerPool } from '../pool/worker-pool';
import { History } from '../state/history';
import type { WorkerInit } from '../worker/protocol';
import { createBaseEnv } from '../worker/task-env';
import { createWorkerPool } from './create-worker-pool';
import { onInterrupt } from './on-interrupt';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import type { ParallelExecutorOptions } from './options.generated';

export type { ParallelExecutorOptions } from './options.generated';

/** The task Nx is running for this executor, whose `.env` files it loaded into `process.env`. */
function findOuterTask(context: ExecutorContext): Task | undefined {
  return Object.values(context.taskGraph?.tasks ?? {}).find(
    (task) => task.target.project === context.projectName && task.target.target === context.targetName,
  );
}

async function runTasks(options: NormalizedOptions, context: ExecutorContext): Promise<boolean> {
  const baseEnv = createBaseEnv(findOuterTask(context), context.projectGraph, context.root);
  // The workers start now and load their modules while the graph is built.
  const pool = createWorkerPool(options.parallelBackend, {
    size: options.nWorkers,
    env: baseEnv,
    onStrayOutput: (text) => process.stderr.write(text),
    taskTimeoutMs: options.taskTimeoutMs,
    maxTasksPerWorker: options.maxTasksPerWorker,
  });
  try {
    return await runGraph(options, context, pool, baseEnv);
  } finally {
    await pool.close();
    removeSpilledOutput();
  }
}

async function runGraph(
  options: NormalizedOptions,
  context: ExecutorContext,
  pool: WorkerPool,
  baseEnv: WorkerInit['baseEnv'],
): Promise<boolean> {
  const inner = createInnerTaskGraph({
    ...options,
    projectGraph: context.projectGraph,
    nxJson: context.nxJsonConfiguration ?? {},
  });
  if (inner.ids.length === 0) {
    output.note({
      title: `No tasks to run`,
      bodyLines: [
        `None of the selected projects (${options.projects.join(', ')}) has the target(s) ${options.targets.join(', ')}.`,
      ],
    });
    return true;
  }
  pool.initialize({
    root: context.root,
    cwd: context.cwd,
    isVerbose: context.isVerbose,
    projectGraph: context.projectGraph,
    projectsConfigurations: context.projectsConfigurations,
    nxJsonConfiguration: context.nxJsonConfiguration,
    taskGraph: inner.taskGraph,
    baseEnv,
  });
  const warn = (message: string): void => output.warn({ title: message });
  const history = History.load(context.root, warn);
  const ranking = rankTasks(inner, options.schedule, (id) => history.estimate(id));
  const emit = broadcast(createReporters(options.taskOutput));
  const scheduler = createScheduler({
    graph: inner,
    pool,
    priority: ranking.priority,
    emit,
    maxFailures: options.maxFailures,
    retries: options.retries,
  });
  const stopOnInterrupt = onInterrupt((signal) => {
    scheduler.stop(`interrupted by ${signal}`);
    void pool.close();
  });
  try {
    const start = Date.now();
    const workers = Math.min(pool.size, inner.ids.length);
    await emit({
      type: 'run-started',
      taskIds: inner.ids,
      dependencies: inner.dependencies,
      recordedMs: new Map(
        inner.ids.flatMap((id) => (history.estimate(id) === undefined ? [] : [[id, history.estimate(id) ?? 0]])),
      ),
      workers,
      backend: options.parallelBackend,
      start,
    });
    const records = [...(await scheduler.run()).values()];
    await emit({ type: 'run-finished', records, start, end: Date.now() });
    for (const record of records) {
      if (record.result.status === 'succeeded') history.record(record.taskId, record.end - record.start);
      record.output.dispose();
    }
    history.save(warn);
    return records.every((record) => record.result.status === 'succeeded');
  } finally {
    stopOnInterrupt();
  }
}

export default async function parallelExecutor(
  options: ParallelExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const normalized = normalizeOptions(options, {
      project: context.projectName,
      configuration: context.configurationName,
    });
    return { success: await runTasks(normalized, context) };
  } catch (error) {
    if (!(error instanceof NxParallelError)) throw error;
    output.error({ title: error.message });
    return { success: false };
  } finally {
    await flushOut();
  }
}
