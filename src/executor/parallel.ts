/**
 * The Nx entry of `nx-parallel:parallel`: options -> plan -> (dry run, or the scheduler on a worker
 * pool) -> reporters. The only place that decides the run's result.
 */
import { output, type ExecutorContext, type Task } from '@nx/devkit';
import type { DistributedPoolOptions } from '../distributed/distributed-pool';
import { NxParallelError } from '../errors';
import { checkNxVersion } from '../nx/version';
import { formatPlan } from '../report/dry-run';
import { removeSpilledOutput } from '../report/spill-directory';
import { flushOut, writeOut } from '../report/terminal';
import { planRun } from '../scheduler/plan-run';
import { createBaseEnv } from '../worker/task-env';
import { createWorkerPool } from './create-worker-pool';
import type { DistributedSettings } from './normalize-distributed';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import type { ParallelExecutorOptions } from './options.generated';
import { planGraph, recordedDurations, type GraphPlan } from './plan-graph';
import { runGraph } from './run-graph';

export type { ParallelExecutorOptions } from './options.generated';

/** The task Nx is running for this executor, whose `.env` files it loaded into `process.env`. */
function findOuterTask(context: ExecutorContext): Task | undefined {
  return Object.values(context.taskGraph?.tasks ?? {}).find(
    (task) => task.target.project === context.projectName && task.target.target === context.targetName,
  );
}

function printPlan(plan: GraphPlan, options: NormalizedOptions): void {
  const workers = Math.min(options.nWorkers, plan.inner.ids.length);
  const simulated = planRun(plan.inner, plan.ranking, workers);
  writeOut(
    formatPlan({
      ...simulated,
      criticalPath: plan.ranking.criticalPath,
      workers,
      backend: options.parallelBackend,
      schedule: options.schedule,
      hasHistory: recordedDurations(plan).size > 0,
    }),
  );
}

function distributedPoolOptions(options: NormalizedOptions, settings: DistributedSettings): DistributedPoolOptions {
  return {
    redis: { url: settings.redisUrl, caFile: settings.redisTlsCaFile },
    artifactStore: settings.artifactStore,
    secret: settings.secret,
    lockMs: settings.workerLockMs,
    waitForWorkersMs: settings.waitForWorkersMs,
    selection: {
      targets: options.targets,
      projects: options.projects,
      excludeProjects: options.excludeProjects,
      configuration: options.configuration,
      onlySelected: options.onlySelected,
    },
    ownFiles: [options.summaryFile, options.profileFile].filter((file): file is string => file !== undefined),
    taskTimeoutMs: options.taskTimeoutMs,
    maxTasksPerWorker: options.maxTasksPerWorker,
    log: (message) => writeOut(`[nx-parallel] ${message}\n`),
  };
}

async function runTasks(options: NormalizedOptions, context: ExecutorContext): Promise<boolean> {
  if (options.dryRun) {
    const plan = planGraph(options, context);
    if (plan) printPlan(plan, options);
    return true;
  }
  const baseEnv = createBaseEnv(findOuterTask(context), context.projectGraph, context.root);
  // The workers start now and load their modules while the graph is built.
  const pool = createWorkerPool(
    options.parallelBackend,
    {
      size: options.nWorkers,
      env: baseEnv,
      onStrayOutput: (text) => process.stderr.write(text),
      taskTimeoutMs: options.taskTimeoutMs,
      maxTasksPerWorker: options.maxTasksPerWorker,
      memoryLimitBytes: options.workerMemoryLimitBytes,
    },
    options.distributed && distributedPoolOptions(options, options.distributed),
  );
  try {
    const plan = planGraph(options, context);
    return plan ? await runGraph(plan, options, context, pool, baseEnv) : true;
  } finally {
    await pool.close();
    removeSpilledOutput();
  }
}

export default async function parallelExecutor(
  options: ParallelExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    checkNxVersion();
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
