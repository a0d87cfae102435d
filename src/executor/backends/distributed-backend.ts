/**
 * The `distributed` backend: agents on other machines take the tasks from BullMQ queues on Redis.
 * Its modules, and the packages only it needs, are loaded once it is chosen: a local install goes
 * without those packages, and BullMQ and its Redis client would add 0.1 s to every start.
 */
import type * as DistributedPoolModule from '../../distributed/coordinator/distributed-pool';
import type * as PeerPackagesModule from '../../distributed/peer-packages';
import type * as RedactUrlModule from '../../distributed/protocol/redact-url';
import type { BackendDefinition, BackendRun } from './backend-definition';
import { normalizeDistributed, type DistributedSettings } from './distributed-options';

/* eslint-disable @typescript-eslint/no-require-imports */
const loadPeerPackages = () => require('../../distributed/peer-packages') as typeof PeerPackagesModule;
const loadPool = () => require('../../distributed/coordinator/distributed-pool') as typeof DistributedPoolModule;
const loadRedactUrl = () => require('../../distributed/protocol/redact-url') as typeof RedactUrlModule;
/* eslint-enable @typescript-eslint/no-require-imports */

function poolOptions(
  { options, notify }: BackendRun,
  settings: DistributedSettings,
): DistributedPoolModule.DistributedPoolOptions {
  return {
    redis: { url: settings.redisUrl, caFile: settings.redisTlsCaFile },
    artifactStore: settings.artifactStore,
    secret: settings.secret,
    lockMs: settings.workerLockMs,
    waitForWorkersMs: settings.waitForWorkersMs,
    selection: {
      targets: options.targets,
      projects: options.projects,
      excludeProjects: options.excludeProjects,
      configuration: options.configuration,
      onlySelected: options.onlySelected,
    },
    ownFiles: [options.summaryFile, options.profileFile].filter((file): file is string => file !== undefined),
    taskTimeoutMs: options.taskTimeoutMs,
    maxTasksPerWorker: options.maxTasksPerWorker,
    notify,
  };
}

export const distributedBackend: BackendDefinition = {
  capabilities: { canKill: true, remoteWorkers: true },
  checkOptions(options, env) {
    const distributed = normalizeDistributed(options, env);
    const { distributedPackages, requirePackages } = loadPeerPackages();
    requirePackages(distributedPackages(distributed.artifactStore));
    return { distributed };
  },
  createPool(_options, run) {
    const settings = run?.options.distributed;
    if (!run || !settings) throw new Error("parallelBackend 'distributed' needs its options");
    return new (loadPool().DistributedPool)(poolOptions(run, settings));
  },
  redactSettings: ({ distributed }) => ({
    distributed: distributed && {
      ...distributed,
      redisUrl: loadRedactUrl().redactUrl(distributed.redisUrl),
      secret: distributed.secret && '***',
    },
  }),
};
