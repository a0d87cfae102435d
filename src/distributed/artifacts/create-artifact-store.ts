/** Picks the artifact store the option `artifactStore` names. */
import type { Redis } from 'ioredis';
import { InvalidOptionError } from '../../errors';
import type { ArtifactStore } from './artifact-store';
import { RedisArtifactStore } from './redis-artifact-store';
import { parseS3Url, S3ArtifactStore, type S3Location } from './s3-artifact-store';

export type ArtifactStoreSpec = { kind: 'redis' } | ({ kind: 's3' } & S3Location);

const ACCEPTED = "'redis' or 's3://bucket/prefix'";

/** Throws InvalidOptionError('artifactStore', ...) for anything but `redis` and `s3://bucket[/prefix]`. */
export function parseArtifactStoreSpec(spec: unknown): ArtifactStoreSpec {
  if (spec === 'redis') return { kind: 'redis' };
  const s3 = typeof spec === 'string' ? parseS3Url(spec) : undefined;
  if (!s3) throw new InvalidOptionError('artifactStore', spec, ACCEPTED);
  return { kind: 's3', ...s3 };
}

export interface ArtifactStoreContext {
  /** The run's Redis client, for the `redis` store; the caller owns it. */
  redis: Redis;
  /** Put before the keys in Redis. Default `nx-parallel:artifact:`. */
  keyPrefix?: string;
}

const DEFAULT_ARTIFACT_KEY_PREFIX = 'nx-parallel:artifact:';

export function createArtifactStore(spec: string, context: ArtifactStoreContext): ArtifactStore {
  const parsed = parseArtifactStoreSpec(spec);
  switch (parsed.kind) {
    case 'redis':
      return new RedisArtifactStore({
        redis: context.redis,
        keyPrefix: context.keyPrefix ?? DEFAULT_ARTIFACT_KEY_PREFIX,
      });
    case 's3':
      return new S3ArtifactStore({ url: spec });
    default: {
      const never: never = parsed;
      return never;
    }
  }
}
