/**
 * Runs a task between output markers on the worker's stdout and stderr. The end markers are
 * flushed before the reply is sent, so the main process can tell when it has all of a task's output.
 */
import { endMarker, startMarker, type TaskReply, type TaskRequest, type WorkerInit } from './protocol';
import { runTask } from './run-task';

function writeFlushed(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

async function mark(text: string): Promise<void> {
  await Promise.all([writeFlushed(process.stdout, text), writeFlushed(process.stderr, text)]);
}

export async function runFramedTask(request: TaskRequest, init: WorkerInit): Promise<TaskReply> {
  await mark(startMarker(request.seq));
  const outcome = await runTask(request, init);
  await mark(endMarker(request.seq));
  return { seq: request.seq, outcome };
}
