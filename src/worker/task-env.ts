/**
 * The environment of a task, as Nx gives it to a task of `nx run-many`: the base environment without
 * the workspace's root `.env` values, then the task's own `.env` files, then Nx's task variables.
 */
import { join } from 'node:path';
import type { ProjectGraph, Task } from '@nx/devkit';
import { envFilesForTask, loadEnvFiles, unloadEnvFile } from '../nx/env-files';

export type Env = Record<string, string>;

/** Variables Nx sets for the one task it runs; the `parallel` task's own must not reach inner tasks. */
const OUTER_TASK_VARIABLES = [
  'NX_TASK_TARGET_PROJECT',
  'NX_TASK_TARGET_TARGET',
  'NX_TASK_TARGET_CONFIGURATION',
  'NX_TASK_HASH',
  'NX_TERMINAL_OUTPUT_PATH',
  'NX_TERMINAL_CAPTURE_STDERR',
  'NX_STREAM_OUTPUT',
  'NX_PREFIX_OUTPUT',
  'LERNA_PACKAGE_NAME',
];

const ROOT_ENV_FILES = ['.env', '.local.env', '.env.local'];

function definedOnly(env: NodeJS.ProcessEnv): Env {
  const out: Env = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function unloadFiles(env: Env, root: string, files: readonly string[]): void {
  for (const file of files) unloadEnvFile(join(root, file), env);
}

/**
 * The environment of the `parallel` task without what Nx added for it: the values of its `.env`
 * files and its task variables. Inner tasks start from this.
 */
export function createBaseEnv(outerTask: Task | undefined, projectGraph: ProjectGraph, root: string): Env {
  const env = definedOnly(process.env);
  if (outerTask) unloadFiles(env, root, envFilesForTask(outerTask, projectGraph));
  for (const key of OUTER_TASK_VARIABLES) delete env[key];
  return env;
}

export function createTaskEnv(task: Task, baseEnv: Env, projectGraph: ProjectGraph, root: string): Env {
  const env: Env = { ...baseEnv };
  unloadFiles(env, root, ROOT_ENV_FILES);
  if (env.NX_LOAD_DOT_ENV_FILES !== 'false') {
    const files = envFilesForTask(task, projectGraph).map((file) => join(root, file));
    loadEnvFiles(files, env);
  }
  env.NX_TASK_TARGET_PROJECT = task.target.project;
  env.NX_TASK_TARGET_TARGET = task.target.target;
  if (task.target.configuration) env.NX_TASK_TARGET_CONFIGURATION = task.target.configuration;
  env.LERNA_PACKAGE_NAME = task.target.project;
  env.NX_WORKSPACE_ROOT = root;
  return env;
}

/** Makes `process.env` equal to `env`, in place (child processes read `process.env` itself). */
export function replaceProcessEnv(env: Env): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
}
