/** Nx's own `.env` handling for tasks: which files a task loads, and how they are loaded and expanded. */
import type { ProjectGraph, Task } from '@nx/devkit';
import type * as TaskEnv from 'nx/src/tasks-runner/task-env';
import { loadNxInternal } from './load';

const taskEnv = (): typeof TaskEnv => loadNxInternal<typeof TaskEnv>('nx/src/tasks-runner/task-env');

/** The task's `.env` files, relative to the workspace root, in the order Nx loads them. */
export function envFilesForTask(task: Task, projectGraph: ProjectGraph): string[] {
  return taskEnv().getEnvFilesForTask(task, projectGraph);
}

/** Loads the files into `env` (without overriding what is set) and expands references, as Nx does. */
export function loadEnvFiles(files: string[], env: Record<string, string>): void {
  taskEnv().loadAndExpandDotEnvFile(files, env);
}

/** Removes from `env` the values the file set. */
export function unloadEnvFile(file: string, env: Record<string, string>): void {
  taskEnv().unloadDotEnvFile(file, env);
}
