/**
 * The worker protocol: what the main process sends a worker and what comes back, for every backend.
 * Output travels on the worker's own stdout and stderr, framed by the markers below, so that the
 * output of processes a task starts is attributed to the task too.
 */
import type { NxJsonConfiguration, ProjectGraph, ProjectsConfigurations, TaskGraph } from '@nx/devkit';
import type { TaskFailure } from '../report/task-failure';

/** Everything a worker needs for every task of a run; sent to each worker once. */
export interface WorkerInit {
  root: string;
  cwd: string;
  isVerbose: boolean;
  projectGraph: ProjectGraph;
  projectsConfigurations: ProjectsConfigurations;
  nxJsonConfiguration: NxJsonConfiguration;
  /** The inner task graph, which executors read as `context.taskGraph`. */
  taskGraph: TaskGraph;
  /** The environment a task starts from, before its own variables and `.env` files. */
  baseEnv: Record<string, string>;
  /** A worker whose memory passes this after a task is replaced before the next; none: never. */
  memoryLimitBytes?: number;
}

/** One task to run. `seq` is unique within a run and frames the task's output. */
export interface TaskRequest {
  seq: number;
  taskId: string;
  /** The task's rank among all tasks of the run: higher runs first. */
  priority?: number;
  /** Nx's hash of the task, when the cache is on. */
  hash?: string;
}

export type TaskOutcome = { status: 'succeeded' } | ({ status: 'failed' } & TaskFailure);

export interface TaskReply {
  seq: number;
  outcome: TaskOutcome;
  /**
   * Why the worker must not run another task (its memory passed the limit, or a task left state
   * behind that could not be put back): the pool replaces it before the next task.
   */
  retire?: string;
}

/** Messages between the main process and a worker (thread or child process). */
export type ToWorker = { type: 'init'; init: WorkerInit } | { type: 'run'; request: TaskRequest };
/**
 * A child process that retires replies with this message of its own instead of answering
 * worker-farm's call, then exits: while the call is open, worker-farm sends that child nothing else.
 */
export interface RetiringMessage {
  owner: 'nx-parallel';
  type: 'retiring';
  reply: TaskReply;
}
/** What a task left behind that came out after it ended (see worker/leftovers.ts). */
export interface Leftover {
  kind: 'output' | 'error';
  /** The task it came from; undefined when nothing tells. */
  taskId: string | undefined;
  text: string;
}

/** A child process's report of a leftover, beside worker-farm's own messages. */
export interface LeftoverMessage {
  owner: 'nx-parallel';
  type: 'leftover';
  leftover: Leftover;
}

export type FromWorker =
  | { type: 'done'; reply: TaskReply }
  | { type: 'leftover'; leftover: Leftover }
  /** A thread started a process (threads share the main process's pid, so it reports them). */
  | { type: 'spawned'; pid: number };

/** Written by the worker to stdout and stderr around each task; never shown to the user. */
export const MARKER_PREFIX = '\u0002nx-parallel:';
export const startMarker = (seq: number): string => `${MARKER_PREFIX}start:${seq}\u0003`;
export const endMarker = (seq: number): string => `${MARKER_PREFIX}end:${seq}\u0003`;
export const MARKER_PATTERN = /\u0002nx-parallel:(start|end):(\d+)\u0003/;
