/**
 * Runs one task inside a worker: sets its environment, runs its executor with `runExecutor`, takes
 * its result as Nx would, and puts back the process state the task changed, so nothing leaks into
 * the next task. This is the one place in a worker where exceptions become outcomes.
 */
import { runExecutor, type ExecutorContext } from '@nx/devkit';
import { findExecutorProblem } from '../nx/executor-resolution';
import { lastExecutorResult } from './executor-result';
import { captureProcessState, type CaptureOptions } from './process-state';
import type { TaskOutcome, TaskRequest, WorkerInit } from './protocol';
import { createTaskEnv, replaceProcessEnv } from './task-env';

export interface TaskRun {
  outcome: TaskOutcome;
  /** Why this worker must not run another task, if it must not. */
  retire?: string;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  // Nx throws some errors that are not Errors, such as its SchemaError: a class with a message.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

async function execute(request: TaskRequest, init: WorkerInit): Promise<TaskOutcome> {
  try {
    const task = init.taskGraph.tasks[request.taskId];
    if (!task) throw new Error(`Task ${request.taskId} is not in the task graph sent to this worker.`);
    replaceProcessEnv(createTaskEnv(task, init.baseEnv, init.projectGraph, init.root));
    const context: ExecutorContext = {
      root: init.root,
      cwd: init.cwd,
      isVerbose: init.isVerbose,
      projectName: task.target.project,
      targetName: task.target.target,
      configurationName: task.target.configuration,
      projectGraph: init.projectGraph,
      projectsConfigurations: init.projectsConfigurations,
      nxJsonConfiguration: init.nxJsonConfiguration,
      taskGraph: init.taskGraph,
    };
    const target = {
      project: task.target.project,
      target: task.target.target,
      configuration: task.target.configuration,
    };
    const result = await lastExecutorResult(await runExecutor<{ success: boolean }>(target, task.overrides, context));
    return result?.success ? { status: 'succeeded' } : { status: 'failed', reason: 'executor-failed' };
  } catch (error) {
    return { status: 'failed', reason: 'threw', message: missingExecutor(request, init) ?? describe(error) };
  }
}

/**
 * One clear line when the task failed because Nx cannot find its executor, instead of a stack
 * through the worker; undefined when the executor resolves (the task failed otherwise).
 */
function missingExecutor(request: TaskRequest, init: WorkerInit): string | undefined {
  const task = init.taskGraph.tasks[request.taskId];
  const executor = task && init.projectGraph.nodes[task.target.project]?.data.targets?.[task.target.target]?.executor;
  if (typeof executor !== 'string' || !executor.includes(':')) return undefined;
  const problem = findExecutorProblem(executor, init.root, init.projectGraph);
  return problem === undefined
    ? undefined
    : `Nx cannot find the executor '${executor}': ${problem} Install the package that provides it, or fix the executor's name in the target.`;
}

export async function runTask(request: TaskRequest, init: WorkerInit, isolation: CaptureOptions): Promise<TaskRun> {
  const state = captureProcessState(isolation);
  const outcome = await execute(request, init);
  const stuck = state.restore();
  return stuck ? { outcome, retire: `The worker was replaced: ${stuck}.` } : { outcome };
}
