/** Setup and teardown of the scheduler on Nx's cache: look a task up before it runs, store it after. */
import type { TaskCache } from '../cache/nx-cache';
import type { TaskRecord } from '../report/events';
import type { Notify } from '../report/notices';
import type { SetupResult } from '../scheduler/scheduler';

export interface CacheHooks {
  setup: (taskId: string) => Promise<SetupResult>;
  storeSucceeded: (record: TaskRecord) => Promise<void>;
}

/** A cache that fails is said once and then treated as a miss: the task runs, the run goes on. */
export function createCacheHooks(cache: TaskCache, notify: Notify): CacheHooks {
  let warned = false;
  const once = (operation: 'look up' | 'store', taskId: string, error: unknown): void => {
    if (!warned) notify({ kind: 'cache-failed', operation, taskId, error: String(error) });
    warned = true;
  };
  return {
    async setup(taskId) {
      try {
        const found = await cache.restore(taskId);
        const cached = found?.hit && { output: found.hit.terminalOutput, remote: found.hit.remote };
        return { hash: found?.hash, cached };
      } catch (error) {
        once('look up', taskId, error);
        return {};
      }
    },
    async storeSucceeded(record) {
      try {
        await cache.store(record.taskId, () => record.output.readAll());
      } catch (error) {
        once('store', record.taskId, error);
      }
    },
  };
}
