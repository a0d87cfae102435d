/**
 * Which task a piece of worker code runs for. Every task runs inside `runInTaskContext`; the timers,
 * callbacks and promises it creates keep that context (AsyncLocalStorage, and a promise hook for
 * rejections), so what they print or throw after the task ended is known to be that task's, not the
 * task running then.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { promiseHooks } from 'node:v8';

export interface TaskContext {
  seq: number;
  taskId: string;
}

const storage = new AsyncLocalStorage<TaskContext>();
const promiseOwners = new WeakMap<Promise<unknown>, TaskContext>();
let running: TaskContext | undefined;
let hooked = false;

export function runInTaskContext<T>(context: TaskContext, run: () => Promise<T>): Promise<T> {
  if (!hooked) {
    hooked = true;
    promiseHooks.onInit((promise) => {
      const owner = storage.getStore();
      if (owner) promiseOwners.set(promise, owner);
    });
  }
  running = context;
  return storage.run(context, run);
}

/** The task ended (returned, or was given up after an uncaught error): what it does now is left over. */
export function endTaskContext(): void {
  running = undefined;
}

/** The task that the code running now belongs to, if any. */
export function currentOwner(): TaskContext | undefined {
  return storage.getStore();
}

/** The task whose code created `promise`, if any. */
export function promiseOwner(promise: Promise<unknown>): TaskContext | undefined {
  return promiseOwners.get(promise);
}

/** The task this worker runs now. */
export function runningTask(): TaskContext | undefined {
  return running;
}
