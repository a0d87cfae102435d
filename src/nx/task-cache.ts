/**
 * Nx's task hasher and cache, as `nx run-many` uses them, so that nx-parallel reads and writes the
 * same entries (local, and remote where the workspace configures one). Their signatures are the
 * same on nx 22 to 24; `hydrateFileMap` took two arguments on 22 and takes an optional list of
 * all files before the references since 23, which two arguments still mean.
 */
import type { NxJsonConfiguration, ProjectGraph, Task, TaskGraph } from '@nx/devkit';
import type * as BuildProjectGraph from 'nx/src/project-graph/build-project-graph';
import type * as RetrieveWorkspaceFiles from 'nx/src/project-graph/utils/retrieve-workspace-files';
import type * as CreateTaskHasher from 'nx/src/hasher/create-task-hasher';
import type * as HashTask from 'nx/src/hasher/hash-task';
import { loadNxInternal } from './load';

export interface CachedResult {
  code: number;
  terminalOutput: string;
  outputsPath: string;
  remote: boolean;
}

/** Nx's cache, with the hasher that computes its keys. */
export interface NxTaskCache {
  /** Sets `task.hash` as Nx would, for a task whose dependencies have results. */
  hash(task: Task, env: Record<string, string>): Promise<string>;
  get(task: Task): Promise<CachedResult | null>;
  /** Puts a local hit's outputs back in the workspace. */
  restoreOutputs(task: Task, cached: CachedResult): Promise<void>;
  put(task: Task, terminalOutput: string, code: number): Promise<void>;
}

export interface NxTaskCacheRequest {
  root: string;
  projectGraph: ProjectGraph;
  nxJson: NxJsonConfiguration;
  taskGraph: TaskGraph;
}

interface Cache {
  init?(): Promise<void>;
  get(task: Task): Promise<CachedResult | null>;
  copyFilesFromCache(hash: string, cached: object, outputs: string[]): Promise<unknown>;
  put(task: Task, terminalOutput: string | null, outputs: string[], code: number): Promise<unknown>;
}

/**
 * Without the daemon, the process of the `parallel` task has no file map, and Nx's hasher needs
 * one: read the workspace's files as Nx does.
 */
async function hydrateFileMap(root: string, projectGraph: ProjectGraph): Promise<void> {
  const build = loadNxInternal<typeof BuildProjectGraph>('nx/src/project-graph/build-project-graph');
  if (build.getFileMap().rustReferences) return;
  const files = loadNxInternal<typeof RetrieveWorkspaceFiles>('nx/src/project-graph/utils/retrieve-workspace-files');
  const roots: Record<string, string> = {};
  for (const [name, node] of Object.entries(projectGraph.nodes)) roots[node.data.root] = name;
  const { fileMap, rustReferences } = await files.retrieveWorkspaceFiles(root, roots);
  build.hydrateFileMap(fileMap, rustReferences);
}

export async function openNxTaskCache(request: NxTaskCacheRequest): Promise<NxTaskCache> {
  const hasherModule = loadNxInternal<typeof CreateTaskHasher>('nx/src/hasher/create-task-hasher');
  const hashModule = loadNxInternal<typeof HashTask>('nx/src/hasher/hash-task');
  const cacheModule = loadNxInternal<{ getCache(options: object): Cache }>('nx/src/tasks-runner/cache');
  await hydrateFileMap(request.root, request.projectGraph);
  const runnerOptions = { ...request.nxJson.tasksRunnerOptions?.default?.options } as object;
  const hasher = hasherModule.createTaskHasher(request.projectGraph, request.nxJson, runnerOptions);
  const details = hashModule.getTaskDetails();
  const cache = cacheModule.getCache(runnerOptions);
  await cache.init?.();
  return {
    async hash(task, env) {
      await hashModule.hashTask(hasher, request.projectGraph, request.taskGraph, task, env, details);
      return task.hash ?? '';
    },
    get: (task) => cache.get(task),
    async restoreOutputs(task, cached) {
      await cache.copyFilesFromCache(task.hash ?? '', cached, task.outputs);
    },
    async put(task, terminalOutput, code) {
      await cache.put(task, terminalOutput, task.outputs, code);
    },
  };
}
