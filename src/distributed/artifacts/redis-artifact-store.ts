/**
 * Artifacts kept in the Redis that carries the queues: nothing more to set up, fine for small outputs.
 * Every archive expires, so a coordinator that dies without cleaning up leaves nothing behind for long,
 * and a cap keeps large outputs from filling Redis's memory.
 */
import { Readable } from 'node:stream';
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
/** How much of an archive one Redis command carries, either way. */
const CHUNK_BYTES = 1024 * 1024;
const PARTIAL_SUFFIX = ':partial';

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

  /**
   * Appends the archive a chunk at a time to a key of its own, which becomes the archive's key once
   * complete: a reader never sees part of an archive, and one above the cap is refused as soon as it
   * passes it. Redis holds the value whole, so the cap is what bounds Redis's memory.
   */
  async put(key: string, archive: Readable): Promise<void> {
    const partial = `${this.redisKey(key)}${PARTIAL_SUFFIX}`;
    // At least a millisecond: PX 0 is an error in Redis.
    const ttlMs = Math.max(1, Math.ceil(this.ttlSeconds * 1000));
    let bytes = 0;
    let batch: Buffer[] = [];
    let batched = 0;
    const flush = async (): Promise<void> => {
      const data = Buffer.concat(batch);
      batch = [];
      batched = 0;
      await this.call('store', key, async () => {
        const replies = await this.redis.multi().append(partial, data).pexpire(partial, ttlMs).exec();
        // A transaction resolves with each command's error, as data.
        const failed = replies?.find(([error]) => error)?.[0];
        if (failed) throw failed;
      });
    };
    try {
      for await (const chunk of archive as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > this.maxBytes) throw this.tooLarge(key);
        batch.push(chunk);
        batched += chunk.length;
        if (batched >= CHUNK_BYTES) await flush();
      }
      await flush();
      await this.call('store', key, () => this.redis.rename(partial, this.redisKey(key)));
    } catch (error) {
      await this.redis.del(partial).catch(() => undefined);
      throw error;
    }
  }

  /** The archive, read a chunk at a time. */
  async get(key: string): Promise<Readable> {
    const redisKey = this.redisKey(key);
    const length = await this.call('read', key, () => this.redis.strlen(redisKey));
    // An archive is never empty (gzip has a header), so a length of 0 is a missing key.
    if (length === 0) {
      throw new ArtifactError(
        `No outputs archive '${key}' in Redis (key '${redisKey}'). It may have expired: ` +
          `archives are kept ${this.ttlSeconds} seconds. Run the task again.`,
        this.location,
        key,
      );
    }
    return Readable.from(this.chunks(key, length));
  }

  private async *chunks(key: string, length: number): AsyncGenerator<Buffer> {
    for (let start = 0; start < length; start += CHUNK_BYTES) {
      const end = Math.min(length, start + CHUNK_BYTES) - 1;
      const chunk = await this.call('read', key, () => this.redis.getrangeBuffer(this.redisKey(key), start, end));
      if (chunk.length !== end - start + 1) {
        throw new ArtifactError(
          `The outputs archive '${key}' left Redis while it was read (expired or removed). Run the task again.`,
          this.location,
          key,
        );
      }
      yield chunk;
    }
  }

  private tooLarge(key: string): ArtifactError {
    return new ArtifactError(
      `The outputs archive '${key}' is larger than the ${formatBytes(this.maxBytes)} (${this.maxBytes} bytes) ` +
        `cap of the redis artifact store. For large outputs set the option 'artifactStore: s3://bucket/prefix'.`,
      this.location,
      key,
    );
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
