/**
 * The one adapter to Nx's own task hasher and cache, so that nx-parallel, `nx run` and
 * `nx run-many` read and write the same entries (local, and remote where the workspace configures
 * one). These are Nx's internal modules: the adapter checks the installed nx version and, on one it
 * does not support, the run goes on without the cache after saying so once.
 */
import type { NxJsonConfiguration, ProjectGraph, Task, TaskGraph } from '@nx/devkit';
import type * as BuildProjectGraph from 'nx/src/project-graph/build-project-graph';
import type * as RetrieveWorkspaceFiles from 'nx/src/project-graph/utils/retrieve-workspace-files';
import type * as CreateTaskHasher from 'nx/src/hasher/create-task-hasher';
import type * as HashTask from 'nx/src/hasher/hash-task';
import { createTaskEnv, type Env } from '../worker/task-env';

/** nx majors whose hasher and cache this adapter was checked against. */
const SUPPORTED_MAJORS = [24];

export interface CacheHit {
  terminalOutput: string;
  remote: boolean;
}

export interface TaskCache {
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
  warn: (message: string) => void;
}

interface NxCache {
  init?(): Promise<void>;
  get(task: Task): Promise<{ code: number; terminalOutput: string; outputsPath: string; remote: boolean } | null>;
  copyFilesFromCache(hash: string, cached: object, outputs: string[]): Promise<unknown>;
  put(task: Task, terminalOutput: string | null, outputs: string[], code: number): Promise<unknown>;
}

/** Why the cache is off for this run, if it is. */
export function cacheDisabledReason(skipCache: boolean, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (skipCache) return 'the skipCache option';
  if (env.NX_SKIP_NX_CACHE === 'true') return '--skip-nx-cache';
  if (env.NX_DISABLE_NX_CACHE === 'true') return 'NX_DISABLE_NX_CACHE';
  return undefined;
}

interface NxInternals {
  version: string;
  build: typeof BuildProjectGraph;
  files: typeof RetrieveWorkspaceFiles;
  hasher: typeof CreateTaskHasher;
  hash: typeof HashTask;
  cache: { getCache(options: object): NxCache };
}

/**
 * Loaded when a run needs them, not when the plugin loads: on an nx whose internals moved, only the
 * cache is lost, not the plugin.
 */
function loadNxInternals(): NxInternals {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    version: (require('nx/package.json') as { version: string }).version,
    build: require('nx/src/project-graph/build-project-graph') as typeof BuildProjectGraph,
    files: require('nx/src/project-graph/utils/retrieve-workspace-files') as typeof RetrieveWorkspaceFiles,
    hasher: require('nx/src/hasher/create-task-hasher') as typeof CreateTaskHasher,
    hash: require('nx/src/hasher/hash-task') as typeof HashTask,
    cache: require('nx/src/tasks-runner/cache') as NxInternals['cache'],
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Without the daemon, the process of the `parallel` task has no file map, and Nx's hasher needs
 * one: read the workspace's files as Nx does.
 */
async function hydrateFileMap(nx: NxInternals, root: string, projectGraph: ProjectGraph): Promise<void> {
  if (nx.build.getFileMap().rustReferences) return;
  const roots: Record<string, string> = {};
  for (const [name, node] of Object.entries(projectGraph.nodes)) roots[node.data.root] = name;
  const { fileMap, rustReferences } = await nx.files.retrieveWorkspaceFiles(root, roots);
  nx.build.hydrateFileMap(fileMap, rustReferences);
}

/** Nx's cache for the tasks of this run, or undefined (after saying why, if it matters) when it is off. */
export async function openTaskCache(request: CacheRequest, skipCache: boolean): Promise<TaskCache | undefined> {
  if (cacheDisabledReason(skipCache)) return undefined;
  try {
    const nx = loadNxInternals();
    if (!SUPPORTED_MAJORS.includes(Number(nx.version.split('.')[0]))) {
      request.warn(
        `nx-parallel uses Nx's cache on nx ${SUPPORTED_MAJORS.join(', ')}; with nx ${nx.version} this run does not use it.`,
      );
      return undefined;
    }
    await hydrateFileMap(nx, request.root, request.projectGraph);
    const runnerOptions = { ...request.nxJson.tasksRunnerOptions?.default?.options } as object;
    const hasher = nx.hasher.createTaskHasher(request.projectGraph, request.nxJson, runnerOptions);
    const details = nx.hash.getTaskDetails();
    const cache = nx.cache.getCache(runnerOptions);
    await cache.init?.();
    const taskOf = (taskId: string): Task => {
      const task = request.taskGraph.tasks[taskId];
      if (!task) throw new Error(`Task ${taskId} is not in the task graph.`);
      return task;
    };
    return {
      async restore(taskId) {
        const task = taskOf(taskId);
        const env = createTaskEnv(task, request.baseEnv, request.projectGraph, request.root);
        await nx.hash.hashTask(hasher, request.projectGraph, request.taskGraph, task, env, details);
        const hash = task.hash ?? '';
        if (!task.cache) return { hash };
        const cached = await cache.get(task);
        // Only successes are stored here; a failure Nx stored (NX_CACHE_FAILURES) is run again.
        if (!cached || cached.code !== 0) return { hash };
        if (!cached.remote) await cache.copyFilesFromCache(hash, cached, task.outputs);
        return { hash, hit: { terminalOutput: cached.terminalOutput, remote: cached.remote } };
      },
      async store(taskId, readOutput) {
        const task = taskOf(taskId);
        if (task.cache && task.hash) await cache.put(task, await readOutput(), task.outputs, 0);
      },
    };
  } catch (error) {
    request.warn(`Nx's cache could not be opened (${String(error)}); this run does not use it.`);
    return undefined;
  }
}
