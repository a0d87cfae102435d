/** The one place that knows every backend. */
import { InlinePool } from '../pool/inline-pool';
import { ProcessPool } from '../pool/process-pool';
import { ThreadPool } from '../pool/thread-pool';
import type { PoolOptions, WorkerPool } from '../pool/worker-pool';
import type { Backend } from './normalize-options';

/** Makes the pool of a backend; its workers start at once. */
export function createWorkerPool(backend: Backend, options: PoolOptions): WorkerPool {
  switch (backend) {
    case 'processes':
      return new ProcessPool(options);
    case 'threads':
      return new ThreadPool(options);
    case 'inline':
      return new InlinePool();
    default: {
      const never: never = backend;
      return never;
    }
  }
}
