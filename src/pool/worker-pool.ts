/** The one interface every backend implements; the scheduler knows nothing else of workers. */
import type { Leftover, TaskOutcome, TaskRequest, WorkerInit } from '../worker/protocol';

export interface PoolRunResult {
  outcome: TaskOutcome;
  /** Which worker ran the task, e.g. `process-4242`, `thread-3` or `main`. */
  workerId: string;
  /**
   * The task never started: the pool took it back after `withdrawQueued()` (its `outcome` is not
   * looked at). The scheduler records it as not started.
   */
  withdrawn?: true;
  /**
   * Milliseconds the task waited after run() before a worker started it, when a pool queues tasks
   * (the `distributed` backend); the run is the rest.
   */
  queuedMs?: number;
}

export interface WorkerPool {
  /** How many tasks can run at once; the caller never has more calls in flight than this. */
  readonly size: number;
  /**
   * Hands every worker, present and future, what it needs for the tasks of this run. Workers start
   * when the pool is made, so they warm up while the run is planned; tasks run only after this.
   * A pool that must reach something first (the `distributed` backend's Redis) returns a promise,
   * which rejects with an NxParallelError when it cannot.
   */
  initialize(init: WorkerInit): void | Promise<void>;
  /**
   * Runs one task on a free worker and streams its output to `onOutput`. Never rejects: every call
   * gets exactly one result, after all of the task's output was passed on.
   */
  run(request: TaskRequest, onOutput: (text: string) => void): Promise<PoolRunResult>;
  /**
   * Stops every worker and every process the tasks started, now. A task still in flight gets the
   * result `interrupted`. Resolves when none is left.
   */
  close(): Promise<void>;
  /**
   * Registers the one listener for the moment the pool can run nothing more (the `distributed`
   * backend lost Redis, or no worker came): it is called with the cause before the tasks in flight
   * get their results, so the run can stop starting new ones.
   */
  onLost?(listener: (cause: string) => void): void;
  /**
   * Takes back the tasks handed to run() that no worker has started yet (the `distributed`
   * backend's queued jobs: every ready task is handed to it at once); each gets a result with
   * `withdrawn`. Tasks that started finish.
   */
  withdrawQueued?(): void;
  /**
   * Registers the one listener for the number of tasks the pool can run at once, when it changes
   * (the `distributed` backend: the sum of its agents' concurrency). Pools without it have `size`.
   */
  onSizeChange?(listener: (workers: number) => void): void;
}

export interface PoolOptions {
  size: number;
  /** The environment workers start with. */
  env: Record<string, string>;
  /** Output a worker wrote outside any task (start-up warnings, say). */
  onStrayOutput: (text: string) => void;
  /** Milliseconds a task may run before it and its worker are killed; 0: no limit. */
  taskTimeoutMs: number;
  /** Replace a worker after it ran this many tasks; undefined: never. */
  maxTasksPerWorker: number | undefined;
  /** Replace a worker whose memory passed this many bytes after a task; undefined: never. */
  memoryLimitBytes?: number;
}

export function timeoutMessage(timeoutMs: number): string {
  return `The task ran longer than taskTimeout (${timeoutMs / 1000}s) and was killed, with every process it started.`;
}

export const INTERRUPTED_MESSAGE = 'The run was interrupted; the task was killed, with every process it started.';

/**
 * Renders what a task left behind for `onStrayOutput`: never in another task's output. Each piece
 * has its own header, since task blocks may be printed between two pieces of one task.
 */
export function leftoverReporter(onStrayOutput: (text: string) => void): (leftover: Leftover) => void {
  return (leftover) => {
    const owner = leftover.taskId ?? 'A task that ended';
    const header =
      leftover.kind === 'output'
        ? `[nx-parallel] ${owner} printed after it ended:\n`
        : `[nx-parallel] ${owner} left an error after it ended (its worker is replaced after the task it runs now):\n`;
    const text = leftover.text.endsWith('\n') ? leftover.text : `${leftover.text}\n`;
    onStrayOutput(header + text);
  };
}
