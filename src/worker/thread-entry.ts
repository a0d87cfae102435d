/** The entry of a worker thread: `WorkerInit` arrives as `workerData`, tasks as messages. */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { runFramedTask } from './run-framed-task';

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('thread-entry must run in a worker thread');

port.on('message', (message: ToWorker) => {
  if (message.type !== 'run') return;
  void runFramedTask(message.request, init).then((reply) => {
    const out: FromWorker = { type: 'done', reply };
    port.postMessage(out);
  });
});
