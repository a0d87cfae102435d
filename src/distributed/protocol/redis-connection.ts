/** The Redis connections of the `distributed` backend: TLS with a private CA, and a clear error up front. */
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { RedisUnreachableError } from '../../errors';
import { redactUrl } from './redact-url';

export interface RedisTarget {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** A PEM file with the CA that signed the server's certificate. */
  caFile?: string;
}

const CONNECT_TIMEOUT_MS = 5000;

function describe(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

/**
 * A connected client. `maxRetriesPerRequest: null` is what BullMQ needs of connections its workers
 * block on; the client reconnects by itself after a drop.
 */
export async function connectRedis(target: RedisTarget, name: string): Promise<Redis> {
  let ca: Buffer | undefined;
  try {
    ca = target.caFile ? readFileSync(target.caFile) : undefined;
  } catch (error) {
    throw new RedisUnreachableError(
      redactUrl(target.url),
      `cannot read the CA file ${target.caFile}: ${describe(error)}`,
    );
  }
  const redis = new Redis(target.url, {
    // Redis refuses a client name with spaces or other characters outside '!'..'~', silently for ioredis.
    connectionName: name.replace(/[^!-~]/g, '_'),
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: CONNECT_TIMEOUT_MS,
    ...(ca ? { tls: { ca } } : {}),
  });
  // Errors also surface through the commands that fail; without a listener ioredis prints each one.
  redis.on('error', () => undefined);
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError ??= error));
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) =>
        setTimeout(() => reject(lastError ?? new Error('timed out')), CONNECT_TIMEOUT_MS).unref(),
      ),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    const reason = describe(lastError ?? error);
    const tlsHint = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(reason)
      ? "; for a certificate signed by a private CA, give its PEM file: redisTlsCaFile, NX_PARALLEL_REDIS_CA_FILE or a worker's --tls-ca"
      : '';
    throw new RedisUnreachableError(redactUrl(target.url), reason + tlsHint);
  }
}
