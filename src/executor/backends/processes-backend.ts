/** The `processes` backend: child processes through worker-farm. */
import { ProcessPool } from '../../pool/process-pool';
import { NO_SETTINGS, type BackendDefinition } from './backend-definition';

export const processesBackend: BackendDefinition = {
  capabilities: { canKill: true, remoteWorkers: false },
  checkOptions: () => NO_SETTINGS,
  createPool: (options) => new ProcessPool(options),
};
