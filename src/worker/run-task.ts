/**
 * Runs one task inside a worker: sets its environment, runs its executor with `runExecutor`, and
 * restores `process.env` and the working directory so nothing leaks into the next task. This is the
 * one place in a worker where exceptions become outcomes.
 */
import { runExecutor, type ExecutorContext } from '@nx/devkit';
import type { TaskOutcome, TaskRequest, WorkerInit } from './protocol';
import { createTaskEnv, replaceProcessEnv } from './task-env';

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  // Nx throws some errors that are not Errors, such as its SchemaError: a class with a message.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

export async function runTask(request: TaskRequest, init: WorkerInit): Promise<TaskOutcome> {
  const savedEnv = { ...process.env } as Record<string, string>;
  const savedCwd = process.cwd();
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
    let success = false;
    for await (const result of await runExecutor(target, task.overrides, context)) success = result.success;
    return success ? { status: 'succeeded' } : { status: 'failed', reason: 'executor-failed' };
  } catch (error) {
    return { status: 'failed', reason: 'threw', message: describe(error) };
  } finally {
    replaceProcessEnv(savedEnv);
    if (process.cwd() !== savedCwd) process.chdir(savedCwd);
  }
}
