/** The options of the `distributed` backend, checked before anything connects. */
import type * as ArtifactStoreModule from '../../distributed/artifacts/create-artifact-store';
import { InvalidOptionError } from '../../errors';
import type { ParallelExecutorOptions } from '../options.generated';

export interface DistributedSettings {
  redisUrl: string;
  /** Relative to the workspace root. */
  redisTlsCaFile: string | undefined;
  /** `redis` or `s3://bucket/prefix`. */
  artifactStore: string;
  /** Signs announcements, jobs and results; undefined: nothing is signed. */
  secret: string | undefined;
  workerLockMs: number;
  waitForWorkersMs: number;
}

function positiveSeconds(option: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback * 1000;
  if (typeof value === 'number' && Number.isFinite(value) && value >= min) return Math.round(value * 1000);
  throw new InvalidOptionError(option, value, `a number of seconds >= ${min}`);
}

export function normalizeDistributed(options: ParallelExecutorOptions, env: NodeJS.ProcessEnv): DistributedSettings {
  const redisUrl = options.redisUrl ?? env.NX_PARALLEL_REDIS_URL;
  if (typeof redisUrl !== 'string' || !/^rediss?:\/\/./.test(redisUrl)) {
    throw new InvalidOptionError(
      'redisUrl',
      redisUrl,
      "a Redis URL such as 'redis://:password@host:6379' ('rediss://' for TLS), which parallelBackend " +
        "'distributed' needs; set the option or the env variable NX_PARALLEL_REDIS_URL",
    );
  }
  const redisTlsCaFile = options.redisTlsCaFile ?? env.NX_PARALLEL_REDIS_CA_FILE;
  if (redisTlsCaFile !== undefined && (typeof redisTlsCaFile !== 'string' || !redisTlsCaFile.trim())) {
    throw new InvalidOptionError('redisTlsCaFile', redisTlsCaFile, 'a PEM file path, relative to the workspace root');
  }
  const secret = options.distributedSecret ?? env.NX_PARALLEL_SECRET;
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 16)) {
    throw new InvalidOptionError(
      'distributedSecret',
      typeof secret === 'string' ? `(${secret.length} characters)` : secret,
      'a string of at least 16 characters (the option or the env variable NX_PARALLEL_SECRET)',
    );
  }
  const artifactStore = options.artifactStore ?? 'redis';
  const { parseArtifactStoreSpec } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../distributed/artifacts/create-artifact-store') as typeof ArtifactStoreModule;
  parseArtifactStoreSpec(artifactStore);
  return {
    redisUrl,
    redisTlsCaFile,
    artifactStore,
    secret,
    workerLockMs: positiveSeconds('workerLockSeconds', options.workerLockSeconds, 10, 1),
    waitForWorkersMs: positiveSeconds('waitForWorkersSeconds', options.waitForWorkersSeconds, 300, 0),
  };
}
