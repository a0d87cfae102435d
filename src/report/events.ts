/**
 * The events a run emits, and the task results they carry. Reporters are fed by these alone.
 * Results are data: a tagged union with a reason, never an exception.
 */
import type { Notice } from './notices';
import type { TaskFailure } from './task-failure';
import type { TaskOutput } from './task-output';

export type TaskResult =
  /** `cached`: found in Nx's cache and restored from it, never run. */
  | { status: 'succeeded'; cached?: 'local' | 'remote' }
  | ({ status: 'failed' } & TaskFailure)
  | { status: 'skipped'; reason: 'dependency-failed' | 'dependency-skipped'; dependency: string }
  /** Never started: the failure policy (`maxFailures`, `bail`) or an interrupt stopped the run. */
  | { status: 'skipped'; reason: 'run-stopped'; cause: string };

export interface TaskDescription {
  taskId: string;
  project: string;
  target: string;
  configuration?: string;
}

export interface TaskRecord {
  taskId: string;
  result: TaskResult;
  /** Epoch milliseconds; a skipped task has start === end. */
  start: number;
  end: number;
  workerId?: string;
  /** Nx's hash of the task, when the cache is on. */
  hash?: string;
  /** How many times the task was started: more than 1 when its worker died and it was retried. */
  attempts: number;
  /**
   * Milliseconds the task waited, after it was handed out, before a worker started it (the
   * `distributed` backend's queue); not part of `start`..`end`, which is its run only.
   */
  queuedMs?: number;
  output: TaskOutput;
}

export type RunEvent =
  | {
      type: 'run-started';
      taskIds: readonly string[];
      tasks: ReadonlyArray<TaskDescription>;
      /** The run's options, as normalised, for the summary file. */
      options: Readonly<Record<string, unknown>>;
      dependencies: Readonly<Record<string, readonly string[]>>;
      /** Recorded durations in milliseconds of the tasks that ran before (see state/history). */
      recordedMs: ReadonlyMap<string, number>;
      workers: number;
      backend: string;
      start: number;
    }
  /** How many tasks can run at once changed (the `distributed` backend's agents joined or left). */
  | { type: 'workers-changed'; workers: number }
  | { type: 'task-started'; taskId: string }
  | { type: 'task-output'; taskId: string; text: string }
  | { type: 'task-finished'; record: TaskRecord }
  | { type: 'run-finished'; records: readonly TaskRecord[]; start: number; end: number }
  /** A warning or notice, before, during or after the run (see notices.ts). */
  | { type: 'notice'; notice: Notice };

export interface Reporter {
  /** A returned promise holds the run's teardown until the reporter has written what it must. */
  onEvent(event: RunEvent): void | Promise<void>;
}
