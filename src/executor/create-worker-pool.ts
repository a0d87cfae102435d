/** The one place that knows every backend. */
import type * as DistributedPoolModule from '../distributed/coordinator/distributed-pool';
import type { DistributedPoolOptions } from '../distributed/coordinator/distributed-pool';
import { InlinePool } from '../pool/inline-pool';
import { ProcessPool } from '../pool/process-pool';
import { ThreadPool } from '../pool/thread-pool';
import type { PoolOptions, WorkerPool } from '../pool/worker-pool';
import type { Backend } from './normalize-options';

/**
 * Makes the pool of a backend; its workers start at once (the `distributed` backend's workers are
 * on other machines and serve the run once it is announced in initialize()).
 */
export function createWorkerPool(
  backend: Backend,
  options: PoolOptions,
  distributed?: DistributedPoolOptions,
): WorkerPool {
  switch (backend) {
    case 'processes':
      return new ProcessPool(options);
    case 'threads':
      return new ThreadPool(options);
    case 'inline':
      return new InlinePool();
    case 'distributed': {
      if (!distributed) throw new Error("parallelBackend 'distributed' needs its options");
      // Loaded only when used: BullMQ and its Redis client add 0.1 s to every start.
      const { DistributedPool } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('../distributed/coordinator/distributed-pool') as typeof DistributedPoolModule;
      return new DistributedPool(distributed);
    }
    default: {
      const never: never = backend;
      return never;
    }
  }
}
