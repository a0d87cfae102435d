/** The one place that knows every backend. */
import { InlinePool } from '../pool/inline-pool';
import { ProcessPool } from '../pool/process-pool';
import { ThreadPool } from '../pool/thread-pool';
import type { PoolOptions, WorkerPool } from '../pool/worker-pool';
import type { WorkerInit } from '../worker/protocol';
import type { Backend } from './normalize-options';

export function createWorkerPool(backend: Backend, options: PoolOptions, init: WorkerInit): WorkerPool {
  switch (backend) {
    case 'processes':
      return new ProcessPool(options, init);
    case 'threads':
      return new ThreadPool(options, init);
    case 'inline':
      return new InlinePool(options, init);
    default: {
      const never: never = backend;
      return never;
    }
  }
}
