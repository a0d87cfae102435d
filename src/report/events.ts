/**
 * The events a run emits, and the task results they carry. Reporters are fed by these alone.
 * Results are data: a tagged union with a reason, never an exception.
 */
import type { TaskOutput } from './task-output';

export type FailureReason = 'executor-failed' | 'threw' | 'worker-crashed';
export type SkipReason = 'dependency-failed' | 'dependency-skipped';

export type TaskResult =
  | { status: 'succeeded' }
  | { status: 'failed'; reason: FailureReason; message?: string }
  | { status: 'skipped'; reason: SkipReason; dependency: string };

export interface TaskRecord {
  taskId: string;
  result: TaskResult;
  /** Epoch milliseconds; a skipped task has start === end. */
  start: number;
  end: number;
  workerId?: string;
  output: TaskOutput;
}

export type RunEvent =
  | { type: 'run-started'; taskIds: readonly string[]; workers: number; backend: string }
  | { type: 'task-started'; taskId: string }
  | { type: 'task-output'; taskId: string; text: string }
  | { type: 'task-finished'; record: TaskRecord }
  | { type: 'run-finished'; records: readonly TaskRecord[]; start: number; end: number };

export interface Reporter {
  onEvent(event: RunEvent): void;
}
