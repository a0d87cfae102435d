/** The `threads` backend: Node worker threads. */
import { ThreadPool } from '../../pool/thread-pool';
import { NO_SETTINGS, type BackendDefinition } from './backend-definition';

export const threadsBackend: BackendDefinition = {
  capabilities: { canKill: true, remoteWorkers: false },
  checkOptions: () => NO_SETTINGS,
  createPool: (options) => new ThreadPool(options),
};
