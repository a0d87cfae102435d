/**
 * Runs a task between output markers on the worker's stdout and stderr, in the task's own context
 * (see task-context.ts). The end markers are flushed before the reply is sent, so the main process
 * can tell when it has all of a task's output; they are written beneath anything the task did to
 * the streams. A worker whose memory grew past the run's limit, or that saw an uncaught error, asks
 * to be replaced (see `TaskReply.retire`).
 */
import { getHeapStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import type { LeftoverGuard } from './leftovers';
import { endMarker, startMarker, type TaskReply, type TaskRequest, type WorkerInit } from './protocol';
import { endTaskContext, runInTaskContext } from './task-context';
import { runTask, type TaskRun } from './run-task';

async function mark(guard: LeftoverGuard, text: string): Promise<void> {
  await Promise.all([
    new Promise<void>((resolve) => guard.writeOut(text, resolve)),
    new Promise<void>((resolve) => guard.writeErr(text, resolve)),
  ]);
}

/** A process's resident memory; a thread's own heap (the resident memory is the whole process's). */
function workerMemoryBytes(): number {
  return isMainThread ? process.memoryUsage.rss() : getHeapStatistics().used_heap_size;
}

function overMemoryLimit(limitBytes: number | undefined): string | undefined {
  const used = workerMemoryBytes();
  if (!limitBytes || used <= limitBytes) return undefined;
  const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
  return `The worker used ${mb(used)}, more than workerMemoryLimit (${mb(limitBytes)}).`;
}

export async function runFramedTask(request: TaskRequest, init: WorkerInit, guard: LeftoverGuard): Promise<TaskReply> {
  await mark(guard, startMarker(request.seq));
  const context = { seq: request.seq, taskId: request.taskId };
  const crashed = guard.crashOf(context).then((error): TaskRun => ({
    outcome: {
      status: 'failed',
      reason: 'worker-crashed',
      message: `An error was thrown outside the executor's promise, and the worker was replaced:\n${error}`,
    },
  }));
  const run = runInTaskContext(context, () => runTask(request, init, { listeners: true }));
  const { outcome, retire } = await Promise.race([run, crashed]);
  endTaskContext();
  await mark(guard, endMarker(request.seq));
  const reason = retire ?? guard.taintedBy() ?? overMemoryLimit(init.memoryLimitBytes);
  return reason ? { seq: request.seq, outcome, retire: reason } : { seq: request.seq, outcome };
}
