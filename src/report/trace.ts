/**
 * The run as a Chrome trace (`profileFile`), which Perfetto (ui.perfetto.dev) and chrome://tracing
 * open: one track per worker, one slice per task named by its task id and status.
 */
import type { TaskRecord } from './events';
import { failureDetails, failureText } from './failure-text';
import type { TaskFailure } from './task-failure';

interface TraceEvent {
  name: string;
  ph: 'X' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
}

export interface Trace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
}

export function buildTrace(records: readonly TaskRecord[], runStart: number): Trace {
  const tracks = new Map<string, number>();
  const events: TraceEvent[] = [{ name: 'process_name', ph: 'M', pid: 1, tid: 0, args: { name: 'nx-parallel' } }];
  for (const record of records) {
    if (record.attempts === 0) continue;
    const worker = record.workerId ?? 'unknown';
    let tid = tracks.get(worker);
    if (tid === undefined) {
      tid = tracks.size + 1;
      tracks.set(worker, tid);
      events.push({ name: 'thread_name', ph: 'M', pid: 1, tid, args: { name: worker } });
    }
    const { status } = record.result;
    events.push({
      name: status === 'succeeded' ? record.taskId : `${record.taskId} (${status})`,
      cat: status,
      ph: 'X',
      pid: 1,
      tid,
      ts: (record.start - runStart) * 1000,
      dur: (record.end - record.start) * 1000,
      args: {
        status,
        attempts: record.attempts,
        ...(record.queuedMs ? { queuedMs: record.queuedMs } : {}),
        ...(record.result.status === 'failed' ? failedArgs(record.result) : {}),
      },
    });
    if (record.queuedMs) {
      // The wait in the queue, on the same track just before the run, as a slice of its own.
      events.push({
        name: `${record.taskId} (queued)`,
        cat: 'queued',
        ph: 'X',
        pid: 1,
        tid,
        ts: (record.start - record.queuedMs - runStart) * 1000,
        dur: record.queuedMs * 1000,
        args: { queuedMs: record.queuedMs },
      });
    }
  }
  return { traceEvents: events, displayTimeUnit: 'ms' };
}

/** A failure's reason, its text and its data, for the slice's details in the trace viewer. */
function failedArgs(failure: TaskFailure): Record<string, unknown> {
  const message = failureText(failure);
  const details = failureDetails(failure);
  return { reason: failure.reason, ...(message ? { message } : {}), ...(details ? { details } : {}) };
}
