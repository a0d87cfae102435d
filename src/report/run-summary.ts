/**
 * The run summary document (`summaryFile`): the run and every task, in the shape documented in
 * docs/summary.md and checked by summary.schema.json.
 */
import type { RunEvent, TaskDescription, TaskRecord } from './events';
import { failureDetails, failureText } from './failure-text';

type Started = Extract<RunEvent, { type: 'run-started' }>;
type Finished = Extract<RunEvent, { type: 'run-finished' }>;

export interface TaskSummary {
  id: string;
  project: string;
  target: string;
  configuration: string | null;
  status: TaskRecord['result']['status'];
  /** Taken from Nx's cache (`local` or `remote`), not run. */
  cached: 'local' | 'remote' | null;
  /** Nx's hash of the task, when the cache was on. */
  hash: string | null;
  reason: string | null;
  message: string | null;
  /** The data of a distributed failure (`refused`, `artifact-failed`, `worker-lost`); null otherwise. */
  details: Record<string, unknown> | null;
  /** ISO 8601; null for a task that never started. */
  start: string | null;
  end: string | null;
  durationMs: number;
  /** Milliseconds it waited for a worker after it was handed out (distributed: in the queue), not in durationMs. */
  queuedMs: number;
  workerId: string | null;
  attempts: number;
  dependencies: string[];
}

export interface RunSummary {
  version: 1;
  run: {
    start: string;
    end: string;
    durationMs: number;
    workers: number;
    backend: string;
    success: boolean;
    counts: { succeeded: number; cached: number; failed: number; skipped: number };
    options: Record<string, unknown>;
  };
  tasks: TaskSummary[];
}

function reasonOf(result: TaskRecord['result']): Pick<TaskSummary, 'reason' | 'message' | 'details'> {
  switch (result.status) {
    case 'succeeded':
      return { reason: null, message: null, details: null };
    case 'failed':
      return { reason: result.reason, message: failureText(result) ?? null, details: failureDetails(result) };
    case 'skipped':
      return result.reason === 'run-stopped'
        ? { reason: result.reason, message: result.cause, details: null }
        : { reason: result.reason, message: `dependency: ${result.dependency}`, details: null };
    default: {
      const never: never = result;
      return never;
    }
  }
}

function summarizeTask(
  record: TaskRecord,
  task: TaskDescription | undefined,
  dependencies: readonly string[],
): TaskSummary {
  const ran = record.attempts > 0;
  return {
    id: record.taskId,
    project: task?.project ?? '',
    target: task?.target ?? '',
    configuration: task?.configuration ?? null,
    status: record.result.status,
    cached: (record.result.status === 'succeeded' && record.result.cached) || null,
    hash: record.hash ?? null,
    ...reasonOf(record.result),
    start: ran ? new Date(record.start).toISOString() : null,
    end: ran ? new Date(record.end).toISOString() : null,
    durationMs: record.end - record.start,
    queuedMs: record.queuedMs ?? 0,
    workerId: record.workerId ?? null,
    attempts: record.attempts,
    dependencies: [...dependencies],
  };
}

export function buildRunSummary(started: Started, finished: Finished): RunSummary {
  const tasks = new Map(started.tasks.map((task) => [task.taskId, task]));
  const byId = new Map(finished.records.map((record) => [record.taskId, record]));
  const summaries = started.taskIds
    .map((id) => byId.get(id))
    .filter((record): record is TaskRecord => record !== undefined)
    .map((record) => summarizeTask(record, tasks.get(record.taskId), started.dependencies[record.taskId] ?? []));
  const counts = { succeeded: 0, cached: 0, failed: 0, skipped: 0 };
  for (const task of summaries) {
    counts[task.status]++;
    if (task.cached) counts.cached++;
  }
  return {
    version: 1,
    run: {
      start: new Date(finished.start).toISOString(),
      end: new Date(finished.end).toISOString(),
      durationMs: finished.end - finished.start,
      workers: started.workers,
      backend: started.backend,
      success: counts.failed === 0 && counts.skipped === 0,
      counts,
      options: { ...started.options },
    },
    tasks: summaries,
  };
}
