/**
 * The module worker-farm loads in each child process. The run's `WorkerInit` arrives once, as an
 * IPC message of our own, before the first call; each call then runs one task.
 */
import { killTrees } from '../process-tree/kill-tree';
import { guardLeftovers } from './leftovers';
import type { LeftoverMessage, RetiringMessage, TaskReply, TaskRequest, ToWorker, WorkerInit } from './protocol';
import { runFramedTask } from './run-framed-task';

type Callback = (error: null, reply: TaskReply) => void;

let init: WorkerInit | undefined;
const guard = guardLeftovers((leftover) => {
  const message: LeftoverMessage = { owner: 'nx-parallel', type: 'leftover', leftover };
  process.send?.(message);
});

// This worker leads its own process group. If the main process dies without stopping it (the IPC
// channel closes), take down what it started (in sessions of their own too: found while this
// worker still holds them as its children) and then its whole group, so nothing of the run is left.
process.on('disconnect', () => {
  killTrees([{ pid: process.pid }]);
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

/**
 * Answers through our own message and exits, leaving worker-farm's call open: worker-farm sends a
 * child nothing new while it has a call open, so no task can reach this child on its way out. The
 * pool takes the reply from the message when worker-farm reports the call's child gone.
 */
function retire(reply: TaskReply): void {
  const message: RetiringMessage = { owner: 'nx-parallel', type: 'retiring', reply };
  process.send?.(message, () => process.exit(0));
}

/** worker-farm's call: `run(request, callback)`. It must never throw, or the child dies. */
function run(request: TaskRequest, callback: Callback): void {
  try {
    if (!init) {
      callback(null, fail(request, 'The worker received a task before its init message.'));
      return;
    }
    runFramedTask(request, init, guard).then(
      (reply) => (reply.retire ? retire(reply) : callback(null, reply)),
      (error: unknown) => callback(null, fail(request, String(error))),
    );
  } catch (error) {
    callback(null, fail(request, String(error)));
  }
}

export = run;
