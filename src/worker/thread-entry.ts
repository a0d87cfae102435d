/** The entry of a worker thread: the run's `WorkerInit` arrives as the first message, then tasks. */
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { guardLeftovers } from './leftovers';
import { runFramedTask } from './run-framed-task';
import { trackSpawnedProcesses } from './track-spawned';

let init: WorkerInit | undefined;
const port = parentPort;
if (!port) throw new Error('thread-entry must run in a worker thread');
const send = (message: FromWorker): void => port.postMessage(message);
const guard = guardLeftovers((leftover) => send({ type: 'leftover', leftover }));

// Processes started from a thread are children of the main process, not of the thread: report
// each one, so a timed-out or interrupted task's processes can be killed with it.
trackSpawnedProcesses((pid) => send({ type: 'spawned', pid }));

// Node's own error for process.chdir() in a thread does not say what to do about it. A change to
// the folder the thread is in already (as @nx/eslint:lint makes) changes nothing, so it is no error.
process.chdir = (directory: string) => {
  if (path.resolve(directory) === process.cwd()) return;
  throw new Error(
    'The threads backend cannot change the working directory: process.chdir() is not allowed in a ' +
      'worker thread. Run this task with parallelBackend "processes".',
  );
};

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'init':
      init = message.init;
      return;
    case 'run':
      if (!init) throw new Error('The thread received a task before its init message.');
      void runFramedTask(message.request, init, guard).then((reply) => send({ type: 'done', reply }));
      return;
    default: {
      const never: never = message;
      return never;
    }
  }
});
