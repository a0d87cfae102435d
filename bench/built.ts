/** Loads modules from the built `dist/`, where the real pools and their worker entries live. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { createWorkerPool } from '../src/executor/create-worker-pool';
import type { createInnerTaskGraph } from '../src/graph/task-graph';
import type { rankTasks } from '../src/scheduler/rank-tasks';
import type { runTask } from '../src/worker/run-task';

export const REPO_ROOT = resolve(__dirname, '..');

function loadBuilt<T>(relative: string): T {
  const file = resolve(REPO_ROOT, 'dist', relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

export const loadCreateWorkerPool = (): typeof createWorkerPool =>
  loadBuilt<{ createWorkerPool: typeof createWorkerPool }>('executor/create-worker-pool.js').createWorkerPool;

export const loadRunTask = (): typeof runTask => loadBuilt<{ runTask: typeof runTask }>('worker/run-task.js').runTask;

export const loadCreateInnerTaskGraph = (): typeof createInnerTaskGraph =>
  loadBuilt<{ createInnerTaskGraph: typeof createInnerTaskGraph }>('graph/task-graph.js').createInnerTaskGraph;

export const loadRankTasks = (): typeof rankTasks =>
  loadBuilt<{ rankTasks: typeof rankTasks }>('scheduler/rank-tasks.js').rankTasks;
