/**
 * nx-parallel's use of Nx's own task hasher and cache (through `src/nx/`), so that nx-parallel,
 * `nx run` and `nx run-many` read and write the same entries (local, and remote where the
 * workspace configures one): hits are restored in setup, successes stored in teardown.
 */
import type { NxJsonConfiguration, ProjectGraph, Task, TaskGraph } from '@nx/devkit';
import { openNxTaskCache } from '../nx/task-cache';
import { createTaskEnv, type Env } from '../worker/task-env';
import type { Notify } from '../report/notices';

export interface CacheHit {
  terminalOutput: string;
  remote: boolean;
}

/** Where a task's result would come from: `miss` runs it; `not-cacheable`: its target has `cache: false`. */
export type CacheStatus = 'local' | 'remote' | 'miss' | 'not-cacheable';

export interface TaskCache {
  /** Hashes a task and says whether the cache has it, restoring nothing (for the dry run). */
  lookup(taskId: string): Promise<{ hash: string; status: CacheStatus }>;
  /** Hashes a task (once its dependencies have results) and looks it up; restores its outputs on a hit. */
  restore(taskId: string): Promise<{ hash: string; hit?: CacheHit } | undefined>;
  /**
   * Stores a task that succeeded, with its outputs and terminal output, if its target is cacheable.
   * The output is read only then: it may be large, and most tasks are not stored.
   */
  store(taskId: string, readOutput: () => Promise<string>): Promise<void>;
}

export interface CacheRequest {
  root: string;
  projectGraph: ProjectGraph;
  nxJson: NxJsonConfiguration;
  taskGraph: TaskGraph;
  baseEnv: Env;
  /** Hears that the cache could not be opened. */
  notify: Notify;
}

/** Why the cache is off for this run, if it is. */
export function cacheDisabledReason(skipCache: boolean, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (skipCache) return 'the skipCache option';
  if (env.NX_SKIP_NX_CACHE === 'true') return '--skip-nx-cache';
  if (env.NX_DISABLE_NX_CACHE === 'true') return 'NX_DISABLE_NX_CACHE';
  return undefined;
}

/** Nx's cache for the tasks of this run, or undefined (after saying why, if it matters) when it is off. */
export async function openTaskCache(request: CacheRequest, skipCache: boolean): Promise<TaskCache | undefined> {
  if (cacheDisabledReason(skipCache)) return undefined;
  try {
    const cache = await openNxTaskCache(request);
    const taskOf = (taskId: string): Task => {
      const task = request.taskGraph.tasks[taskId];
      if (!task) throw new Error(`Task ${taskId} is not in the task graph.`);
      return task;
    };
    return {
      async lookup(taskId) {
        const task = taskOf(taskId);
        const hash = await cache.hash(task, createTaskEnv(task, request.baseEnv, request.projectGraph, request.root));
        if (!task.cache) return { hash, status: 'not-cacheable' };
        const cached = await cache.get(task);
        if (!cached || cached.code !== 0) return { hash, status: 'miss' };
        return { hash, status: cached.remote ? 'remote' : 'local' };
      },
      async restore(taskId) {
        const task = taskOf(taskId);
        const hash = await cache.hash(task, createTaskEnv(task, request.baseEnv, request.projectGraph, request.root));
        if (!task.cache) return { hash };
        const cached = await cache.get(task);
        // Only successes are stored here; a failure Nx stored (NX_CACHE_FAILURES) is run again.
        if (!cached || cached.code !== 0) return { hash };
        if (!cached.remote) await cache.restoreOutputs(task, cached);
        return { hash, hit: { terminalOutput: cached.terminalOutput, remote: cached.remote } };
      },
      async store(taskId, readOutput) {
        const task = taskOf(taskId);
        if (task.cache && task.hash) await cache.put(task, await readOutput(), 0);
      },
    };
  } catch (error) {
    request.notify({ kind: 'cache-unavailable', error: String(error) });
    return undefined;
  }
}
