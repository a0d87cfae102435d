/**
 * Runs a task between output markers on the worker's stdout and stderr. The end markers are
 * flushed before the reply is sent, so the main process can tell when it has all of a task's output.
 * A worker whose memory grew past the run's limit asks to be replaced (see `TaskReply.retire`).
 */
import { getHeapStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { endMarker, startMarker, type TaskReply, type TaskRequest, type WorkerInit } from './protocol';
import { runTask } from './run-task';

function writeFlushed(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

async function mark(text: string): Promise<void> {
  await Promise.all([writeFlushed(process.stdout, text), writeFlushed(process.stderr, text)]);
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

export async function runFramedTask(request: TaskRequest, init: WorkerInit): Promise<TaskReply> {
  await mark(startMarker(request.seq));
  const { outcome, retire } = await runTask(request, init, { listeners: true });
  await mark(endMarker(request.seq));
  const reason = retire ?? overMemoryLimit(init.memoryLimitBytes);
  return reason ? { seq: request.seq, outcome, retire: reason } : { seq: request.seq, outcome };
}
