/**
 * The module worker-farm loads in each child process. The run's `WorkerInit` arrives once, as an
 * IPC message of our own, before the first call; each call then runs one task.
 */
import type { TaskReply, TaskRequest, ToWorker, WorkerInit } from './protocol';
import { runFramedTask } from './run-framed-task';

type Callback = (error: null, reply: TaskReply) => void;

let init: WorkerInit | undefined;

// This worker leads its own process group. If the main process dies without stopping it (the IPC
// channel closes), take the whole group down, so no process of the run is left behind.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
});

process.on('message', (message: { owner?: string } & Partial<ToWorker>) => {
  if (message.owner === 'nx-parallel' && message.type === 'init') init = message.init;
});

function fail(request: TaskRequest, message: string): TaskReply {
  return { seq: request.seq, outcome: { status: 'failed', reason: 'threw', message } };
}

/** worker-farm's call: `run(request, callback)`. It must never throw, or the child dies. */
function run(request: TaskRequest, callback: Callback): void {
  try {
    if (!init) {
      callback(null, fail(request, 'The worker received a task before its init message.'));
      return;
    }
    runFramedTask(request, init).then(
      (reply) => callback(null, reply),
      (error: unknown) => callback(null, fail(request, String(error))),
    );
  } catch (error) {
    callback(null, fail(request, String(error)));
  }
}

export = run;
