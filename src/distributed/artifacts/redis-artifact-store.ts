/**
 * Artifacts kept in the Redis that carries the queues: nothing more to set up, fine for small outputs.
 * Every archive expires, so a coordinator that dies without cleaning up leaves nothing behind for long,
 * and a cap keeps large outputs from filling Redis's memory.
 */
import type { Redis } from 'ioredis';
import { ArtifactError } from '../../errors';
import type { ArtifactStore } from './artifact-store';

export interface RedisArtifactStoreOptions {
  /** An ioredis client; the caller owns it (connects and quits it). */
  redis: Redis;
  /** Put before every key, as is: include the separator (`nx-parallel:run-1:artifact:`). */
  keyPrefix: string;
  /** How long an archive is kept. Default one day. */
  ttlSeconds?: number;
  /** The largest archive accepted. Default 64 MiB. */
  maxBytes?: number;
}

const DEFAULT_REDIS_ARTIFACT_TTL_SECONDS = 24 * 60 * 60;
const DEFAULT_REDIS_ARTIFACT_MAX_BYTES = 64 * 1024 * 1024;

export class RedisArtifactStore implements ArtifactStore {
  readonly location = 'redis';
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly ttlSeconds: number;
  private readonly maxBytes: number;

  constructor(options: RedisArtifactStoreOptions) {
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_REDIS_ARTIFACT_TTL_SECONDS;
    this.maxBytes = options.maxBytes ?? DEFAULT_REDIS_ARTIFACT_MAX_BYTES;
  }

  async put(key: string, data: Buffer): Promise<void> {
    if (data.length > this.maxBytes) {
      throw new ArtifactError(
        `The outputs archive '${key}' is ${formatBytes(data.length)} (${data.length} bytes), above the ` +
          `${formatBytes(this.maxBytes)} cap of the redis artifact store. ` +
          `For large outputs set the option 'artifactStore: s3://bucket/prefix'.`,
        this.location,
        key,
      );
    }
    // At least a millisecond: PX 0 is an error in Redis.
    const ttlMs = Math.max(1, Math.ceil(this.ttlSeconds * 1000));
    await this.call('store', key, () => this.redis.set(this.redisKey(key), data, 'PX', ttlMs));
  }

  async get(key: string): Promise<Buffer> {
    const data = await this.call('read', key, () => this.redis.getBuffer(this.redisKey(key)));
    if (data === null) {
      throw new ArtifactError(
        `No outputs archive '${key}' in Redis (key '${this.redisKey(key)}'). It may have expired: ` +
          `archives are kept ${this.ttlSeconds} seconds. Run the task again.`,
        this.location,
        key,
      );
    }
    return data;
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call('delete', keys.join(', '), () => this.redis.del(...keys.map((key) => this.redisKey(key))));
  }

  private redisKey(key: string): string {
    return `${this.keyPrefix}${key}`;
  }

  /** A Redis failure (connection lost, out of memory...) as an ArtifactError naming the archive. */
  private async call<T>(action: string, key: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ArtifactError(
        `Could not ${action} the outputs archive '${key}' in Redis: ${reason}`,
        this.location,
        key,
        {
          cause: error,
        },
      );
    }
  }
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}
