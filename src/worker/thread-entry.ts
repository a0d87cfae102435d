/** The entry of a worker thread: `WorkerInit` arrives as `workerData`, tasks as messages. */
import { ChildProcess } from 'node:child_process';
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { runFramedTask } from './run-framed-task';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('thread-entry must run in a worker thread');
const send = (message: FromWorker): void => port.postMessage(message);

// Processes started from a thread are children of the main process, not of the thread: report
// each one, so a timed-out or interrupted task's processes can be killed with it. Every way of
// starting a process (spawn, exec, execFile, fork) goes through ChildProcess#spawn.
type Spawn = (this: ChildProcess, options: object) => unknown;
const spawn = Object.getOwnPropertyDescriptor(ChildProcess.prototype, 'spawn')?.value as Spawn;
Object.defineProperty(ChildProcess.prototype, 'spawn', {
  configurable: true,
  writable: true,
  value: function (this: ChildProcess, options: object) {
    const result = spawn.call(this, options);
    if (this.pid !== undefined) send({ type: 'spawned', pid: this.pid });
    return result;
  },
});

// Node's own error for process.chdir() in a thread does not say what to do about it.
process.chdir = () => {
  throw new Error(
    'The threads backend cannot change the working directory: process.chdir() is not allowed in a ' +
      'worker thread. Run this task with parallelBackend "processes".',
  );
};

port.on('message', (message: ToWorker) => {
  if (message.type !== 'run') return;
  void runFramedTask(message.request, init).then((reply) => send({ type: 'done', reply }));
});
