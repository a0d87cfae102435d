import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { InvalidOptionError } from '../../errors';
import { catchError } from '../../test-support/catch-error';
import { createArtifactStore, parseArtifactStoreSpec } from './create-artifact-store';
import { RedisArtifactStore } from './redis-artifact-store';
import { S3ArtifactStore } from './s3-artifact-store';

// The stores only use the client when they store or read; building one needs no connection.
const redis = {} as Redis;

describe('parseArtifactStoreSpec', () => {
  it('reads redis and s3 URLs', () => {
    assert.deepEqual(parseArtifactStoreSpec('redis'), { kind: 'redis' });
    assert.deepEqual(parseArtifactStoreSpec('s3://bucket'), { kind: 's3', bucket: 'bucket', prefix: '' });
    assert.deepEqual(parseArtifactStoreSpec('s3://bucket/ci/nx'), { kind: 's3', bucket: 'bucket', prefix: 'ci/nx' });
  });

  for (const spec of ['', 'REDIS', 'memory', 's3://', 's3:/bucket', 'gs://bucket/x', 's3://Bad_Bucket/x', 42]) {
    it(`refuses ${JSON.stringify(spec)} as the option artifactStore`, () => {
      const error = catchError(() => parseArtifactStoreSpec(spec));
      assert.ok(error instanceof InvalidOptionError);
      assert.equal(error.option, 'artifactStore');
      assert.equal(error.value, spec);
      assert.match(error.message, /Accepted: 'redis' or 's3:\/\/bucket\/prefix'/);
    });
  }
});

describe('createArtifactStore', () => {
  it('makes the store the spec names', () => {
    const inRedis = createArtifactStore('redis', { redis, keyPrefix: 'run-1:' });
    assert.ok(inRedis instanceof RedisArtifactStore);
    assert.equal(inRedis.location, 'redis');
    const inS3 = createArtifactStore('s3://bucket/prefix', { redis });
    assert.ok(inS3 instanceof S3ArtifactStore);
    assert.equal(inS3.location, 's3://bucket/prefix');
  });

  it('refuses anything else', () => {
    assert.ok(catchError(() => createArtifactStore('file:///tmp', { redis })) instanceof InvalidOptionError);
  });
});
