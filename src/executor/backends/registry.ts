/** Every backend by the name `parallelBackend` gives it; a backend missing here is a type error. */
import type { Backend, BackendDefinition } from './backend-definition';
import { distributedBackend } from './distributed-backend';
import { inlineBackend } from './inline-backend';
import { processesBackend } from './processes-backend';
import { threadsBackend } from './threads-backend';

export const BACKENDS: { readonly [name in Backend]: BackendDefinition } = {
  processes: processesBackend,
  threads: threadsBackend,
  inline: inlineBackend,
  distributed: distributedBackend,
};

export const BACKEND_NAMES = Object.keys(BACKENDS) as Backend[];
