import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import { ArtifactError } from '../../errors';
import { readAll } from '../../test-support/archive-buffer';
import { startRedis, type TestRedis } from '../../test-support/redis-server';
import { RedisArtifactStore } from './redis-artifact-store';

let server: TestRedis;
let redis: Redis;
before(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
after(async () => {
  await redis.quit();
  await server.stop();
});

const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe('RedisArtifactStore', () => {
  it('gives back the bytes it stored, under the key prefix', async () => {
    const store = new RedisArtifactStore({ redis, keyPrefix: 'test:art:' });
    await store.put('run-1/app%3Abuild/attempt-1', Readable.from([everyByte]));
    assert.deepEqual(await readAll(await store.get('run-1/app%3Abuild/attempt-1')), everyByte);
    assert.equal(await redis.exists('test:art:run-1/app%3Abuild/attempt-1'), 1);
    assert.equal(store.location, 'redis');
  });

  it('stores each archive with an expiry: a day by default, or ttlSeconds', async () => {
    await new RedisArtifactStore({ redis, keyPrefix: 'ttl:' }).put('default', Readable.from([everyByte]));
    const dayMs = 24 * 60 * 60 * 1000;
    const defaultTtl = await redis.pttl('ttl:default');
    assert.ok(defaultTtl > dayMs - 60_000 && defaultTtl <= dayMs, `PTTL ${defaultTtl}`);
    await new RedisArtifactStore({ redis, keyPrefix: 'ttl:', ttlSeconds: 30 }).put('short', Readable.from([everyByte]));
    const shortTtl = await redis.pttl('ttl:short');
    assert.ok(shortTtl > 20_000 && shortTtl <= 30_000, `PTTL ${shortTtl}`);
    // A fraction of a second is kept in milliseconds (PX), not rounded to a second or to none.
    await new RedisArtifactStore({ redis, keyPrefix: 'ttl:', ttlSeconds: 0.5 }).put('tiny', Readable.from([everyByte]));
    const tinyTtl = await redis.pttl('ttl:tiny');
    assert.ok(tinyTtl > 0 && tinyTtl <= 500, `PTTL ${tinyTtl}`);
  });

  it('says which key is missing, and that it may have expired', async () => {
    const store = new RedisArtifactStore({ redis, keyPrefix: 'missing:', ttlSeconds: 600 });
    const error = await store.get('run-1/never-stored').catch((error: unknown) => error);
    assert.ok(error instanceof ArtifactError);
    assert.equal(error.key, 'run-1/never-stored');
    assert.match(
      error.message,
      /No outputs archive 'run-1\/never-stored' in Redis \(key 'missing:run-1\/never-stored'\)/,
    );
    assert.match(error.message, /may have expired: archives are kept 600 seconds/);
  });

  it('carries an archive of many chunks, read back as it was stored', async () => {
    const store = new RedisArtifactStore({ redis, keyPrefix: 'big:' });
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 'abc');
    await store.put('three-mib', Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]));
    assert.deepEqual(await readAll(await store.get('three-mib')), data);
  });

  it('refuses an archive above its cap, stops reading it there, and points at S3 for large outputs', async () => {
    const store = new RedisArtifactStore({ redis, keyPrefix: 'cap:', maxBytes: 2 * 1024 * 1024 });
    await store.put('at-cap', Readable.from([Buffer.alloc(2 * 1024 * 1024)]));
    const endless = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(512 * 1024);
      })(),
    );
    const error = await store.put('too-big', endless).catch((error: unknown) => error);
    assert.ok(error instanceof ArtifactError);
    assert.match(error.message, /'too-big' is larger than the 2 MiB \(2097152 bytes\) cap of the redis artifact store/);
    assert.match(error.message, /artifactStore: s3:\/\/bucket\/prefix/);
    assert.ok(endless.destroyed);
    assert.deepEqual(await redis.keys('cap:too-big*'), []);
  });

  it('deletes keys, ignoring missing ones', async () => {
    const store = new RedisArtifactStore({ redis, keyPrefix: 'del:' });
    await store.put('a', Readable.from([everyByte]));
    await store.put('b', Readable.from([everyByte]));
    await store.delete(['a', 'b', 'never-stored']);
    await store.delete([]);
    assert.equal(await redis.exists('del:a', 'del:b'), 0);
    await assert.rejects(store.get('a'), ArtifactError);
  });

  it('reports a Redis failure as an ArtifactError with its cause', async () => {
    const offline = new Redis(server.url, { lazyConnect: true, enableOfflineQueue: false });
    const store = new RedisArtifactStore({ redis: offline, keyPrefix: 'off:' });
    const error = await store.put('k', Readable.from([everyByte])).catch((error: unknown) => error);
    assert.ok(error instanceof ArtifactError);
    assert.match(error.message, /^Could not store the outputs archive 'k' in Redis: /);
    assert.ok(error.cause instanceof Error);
    offline.disconnect();
  });
});
