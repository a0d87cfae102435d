/** Against s3rver, a real S3-compatible server (see test-support/s3-server). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ArtifactError } from '../../errors';
import { readAll } from '../../test-support/archive-buffer';
import { startS3, type TestS3 } from '../../test-support/s3-server';
import { parseS3Url, S3ArtifactStore } from './s3-artifact-store';

const BUCKET = 'artifacts';
let s3: TestS3;
let endpoint: string;
let savedEnv: NodeJS.ProcessEnv;

before(async () => {
  s3 = await startS3([BUCKET]);
  endpoint = s3.endpoint;
});
after(() => s3.stop());

beforeEach(() => {
  savedEnv = { ...process.env };
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, s3.env);
});
afterEach(() => {
  process.env = savedEnv;
});

const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function objectKeys(): Promise<string[]> {
  const client = new S3Client({ forcePathStyle: true, endpoint, region: 'us-east-1' });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  client.destroy();
  return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
}

async function failure(promise: Promise<unknown>): Promise<ArtifactError> {
  const error = await promise.then(
    () => assert.fail('expected an ArtifactError'),
    (error: unknown) => error,
  );
  assert.ok(error instanceof ArtifactError, String(error));
  return error;
}

describe('S3ArtifactStore', () => {
  it('gives back the bytes it stored, at <prefix>/<key>, and deletes them', async () => {
    const store = new S3ArtifactStore({ url: `s3://${BUCKET}/ci/nx/` });
    assert.equal(store.location, `s3://${BUCKET}/ci/nx`);
    await store.put('run-1/app%3Abuild/attempt-1', Readable.from([everyByte]));
    assert.deepEqual(await readAll(await store.get('run-1/app%3Abuild/attempt-1')), everyByte);
    assert.ok((await objectKeys()).includes('ci/nx/run-1/app%3Abuild/attempt-1'));
    await store.delete(['run-1/app%3Abuild/attempt-1', 'never-stored']);
    await store.delete([]);
    assert.ok(!(await objectKeys()).includes('ci/nx/run-1/app%3Abuild/attempt-1'));
  });

  it('stores at the bucket root without a prefix, with AWS_ENDPOINT_URL_S3 and AWS_DEFAULT_REGION', async () => {
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_REGION;
    process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    process.env.AWS_DEFAULT_REGION = 'eu-west-1';
    const store = new S3ArtifactStore({ url: `s3://${BUCKET}` });
    await store.put('root-key', Readable.from([everyByte]));
    assert.deepEqual(await readAll(await store.get('root-key')), everyByte);
    assert.ok((await objectKeys()).includes('root-key'));
  });

  it('says when an object is missing', async () => {
    const error = await failure(new S3ArtifactStore({ url: `s3://${BUCKET}/p` }).get('run-1/never-stored'));
    assert.equal(error.key, 'run-1/never-stored');
    assert.match(error.message, /'run-1\/never-stored' in s3:\/\/artifacts\/p: there is no such object/);
  });

  it('says when the bucket does not exist', async () => {
    const error = await failure(
      new S3ArtifactStore({ url: 's3://no-such-bucket/p' }).put('k', Readable.from([everyByte])),
    );
    assert.match(error.message, /the bucket 'no-such-bucket' does not exist/);
  });

  it('says what to set when there are no credentials, and when they are refused', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const missing = await failure(
      new S3ArtifactStore({ url: `s3://${BUCKET}/p` }).put('k', Readable.from([everyByte])),
    );
    assert.match(missing.message, /no AWS credentials were found .*Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'WRONG', AWS_SECRET_ACCESS_KEY: 'WRONG' });
    const refused = await failure(
      new S3ArtifactStore({ url: `s3://${BUCKET}/p` }).put('k', Readable.from([everyByte])),
    );
    assert.match(refused.message, /S3 refused the credentials \(InvalidAccessKeyId/);
  });

  it('says what to set when there is no region', async () => {
    delete process.env.AWS_REGION;
    const error = await failure(new S3ArtifactStore({ url: `s3://${BUCKET}/p` }).put('k', Readable.from([everyByte])));
    assert.match(error.message, /no AWS region is set\. Set AWS_REGION/);
  });

  it('does not load the AWS SDK until an S3 store is used', () => {
    const probe = spawnSync(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        '-e',
        "require('./src/distributed/artifacts/create-artifact-store'); " +
          "process.stdout.write(String(Object.keys(require.cache).some((p) => p.includes('@aws-sdk'))))",
      ],
      { cwd: join(__dirname, '../../..'), encoding: 'utf8' },
    );
    assert.equal(probe.stderr, '');
    assert.equal(probe.stdout, 'false');
  });
});

describe('parseS3Url', () => {
  it('reads the bucket and the prefix', () => {
    assert.deepEqual(parseS3Url('s3://my-bucket'), { bucket: 'my-bucket', prefix: '' });
    assert.deepEqual(parseS3Url('s3://my.bucket/a/b/'), { bucket: 'my.bucket', prefix: 'a/b' });
    assert.equal(parseS3Url('s3://'), undefined);
    assert.equal(parseS3Url('s3://Upper/x'), undefined);
    assert.equal(parseS3Url('https://bucket/x'), undefined);
  });
});
