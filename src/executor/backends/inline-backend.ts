/** The `inline` backend: one task at a time in the main process, for debuggers. */
import { InlinePool } from '../../pool/inline-pool';
import { NO_SETTINGS, type BackendDefinition } from './backend-definition';

export const inlineBackend: BackendDefinition = {
  // A task in the main process cannot be killed without ending the run.
  capabilities: { canKill: false, remoteWorkers: false, maxWorkers: 1 },
  checkOptions: () => NO_SETTINGS,
  createPool: () => new InlinePool(),
};
