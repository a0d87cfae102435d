/** The one factory that picks a backend's pool, from the registry. */
import type { PoolOptions, WorkerPool } from '../pool/worker-pool';
import type { Backend, BackendRun } from './backends/backend-definition';
import { BACKENDS } from './backends/registry';

/**
 * Makes the pool of a backend; its workers start at once (the `distributed` backend's workers are
 * on other machines and serve the run once it is announced in initialize()). `run` may be left out
 * for a local backend's pool made outside a run.
 */
export function createWorkerPool(backend: Backend, options: PoolOptions, run?: BackendRun): WorkerPool {
  return BACKENDS[backend].createPool(options, run);
}
