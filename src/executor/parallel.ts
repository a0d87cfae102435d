/**
 * The Nx entry of `nx-parallel:parallel`: options -> plan -> (dry run, or the scheduler on a worker
 * pool) -> reporters. The only place that decides the run's result, that makes the run's terminal
 * on stdout, and that prints a fatal error itself (once the live area is gone).
 */
import { output, type ExecutorContext, type Task } from '@nx/devkit';
import { NxParallelError } from '../errors';
import { checkNxVersion } from '../nx/version';
import { removeSpilledOutput } from '../report/spill-directory';
import { broadcast, createReporters } from '../report/create-reporters';
import type { Notify } from '../report/notices';
import { Terminal } from '../report/terminal';
import { createBaseEnv } from '../worker/task-env';
import { resolveAffectedProjects } from './affected-selection';
import { createWorkerPool } from './create-worker-pool';
import { readNxInvocation } from './invocation-argv';
import { normalizeOptions, type NormalizedOptions } from './normalize-options';
import type { ParallelExecutorOptions } from './options.generated';
import { planGraph } from './plan-graph';
import { runDryRun } from './dry-run';
import { writeGraphFile } from './graph-file';
import { claimRunTasks } from './claim-run-tasks';
import { runGraph } from './run-graph';
import { refuseKeptFlags } from './run-many-flags';

export type { ParallelExecutorOptions } from './options.generated';

/** The task Nx is running for this executor, whose `.env` files it loaded into `process.env`. */
function findOuterTask(context: ExecutorContext): Task | undefined {
  return Object.values(context.taskGraph?.tasks ?? {}).find(
    (task) => task.target.project === context.projectName && task.target.target === context.targetName,
  );
}

async function runTasks(options: NormalizedOptions, context: ExecutorContext, terminal: Terminal): Promise<boolean> {
  const reporters = createReporters(options.taskOutput, terminal);
  const emit = broadcast(reporters);
  const notify: Notify = (notice) => void emit({ type: 'notice', notice });
  const affectedProjects = await resolveAffectedProjects(options, context, notify);
  const baseEnv = createBaseEnv(findOuterTask(context), context.projectGraph, context.root);
  if (options.dryRun) {
    const plan = planGraph(options, context, notify, affectedProjects);
    if (plan) {
      writeGraphFile(plan, options, context);
      await runDryRun(plan, options, context, baseEnv, { terminal, notify });
    }
    return true;
  }
  // The workers start now and load their modules while the graph is built.
  const pool = createWorkerPool(
    options.parallelBackend,
    {
      size: options.nWorkers,
      env: baseEnv,
      onStrayOutput: (text) => notify({ kind: 'stray-output', text }),
      taskTimeoutMs: options.taskTimeoutMs,
      maxTasksPerWorker: options.maxTasksPerWorker,
      memoryLimitBytes: options.workerMemoryLimitBytes,
    },
    { options, notify },
  );
  try {
    const plan = planGraph(options, context, notify, affectedProjects);
    if (!plan) return true;
    writeGraphFile(plan, options, context);
    const release = await claimRunTasks(plan, options, context, notify);
    try {
      return await runGraph(plan, options, context, pool, baseEnv, { reporters, notify });
    } finally {
      release();
    }
  } finally {
    await pool.close();
    removeSpilledOutput();
  }
}

export default async function parallelExecutor(
  options: ParallelExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const terminal = new Terminal(process.stdout);
  try {
    checkNxVersion();
    refuseKeptFlags(readNxInvocation(), { project: context.projectName, target: context.targetName });
    const normalized = normalizeOptions(options, {
      project: context.projectName,
      configuration: context.configurationName,
    });
    return { success: await runTasks(normalized, context, terminal) };
  } catch (error) {
    if (!(error instanceof NxParallelError)) throw error;
    terminal.setLiveArea([]);
    output.error({ title: error.message });
    return { success: false };
  } finally {
    await terminal.flush();
  }
}
