import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisUnreachableError } from '../../errors';
import { startRedis, type TestRedis } from '../../test-support/redis-server';
import { connectRedis } from './redis-connection';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected connectRedis to fail'),
    (error: unknown) => error,
  );
}

describe('connectRedis', () => {
  let plain: TestRedis;
  let tls: TestRedis;
  before(async () => {
    [plain, tls] = await Promise.all([startRedis(), startRedis({ tls: true })]);
  });
  after(async () => {
    await Promise.all([plain.stop(), tls.stop()]);
  });

  it('connects with the password of the URL', async () => {
    const redis = await connectRedis({ url: plain.url }, 'test');
    assert.equal(await redis.ping(), 'PONG');
    await redis.quit();
  });

  it('names the connection, with what Redis refuses in a client name replaced', async () => {
    const redis = await connectRedis({ url: plain.url }, 'nx-parallel worker w1');
    assert.equal(await redis.client('GETNAME'), 'nx-parallel_worker_w1');
    await redis.quit();
  });

  it('connects over TLS to a server whose certificate a private CA signed, given the CA file', async () => {
    const redis = await connectRedis({ url: tls.url, caFile: tls.caFile }, 'test');
    assert.equal(await redis.ping(), 'PONG');
    await redis.quit();
  });

  it('says to give the CA file when the certificate cannot be verified', async () => {
    const error = await rejection(connectRedis({ url: tls.url }, 'test'));
    assert.ok(error instanceof RedisUnreachableError);
    assert.match(error.message, /SELF_SIGNED_CERT_IN_CHAIN.*redisTlsCaFile/);
  });

  it('refuses a wrong password without showing the password', async () => {
    const url = plain.url.replace(plain.password, 'not-the-password');
    const error = await rejection(connectRedis({ url }, 'test'));
    assert.ok(error instanceof RedisUnreachableError);
    assert.match(error.message, /WRONGPASS/);
    assert.doesNotMatch(error.message, /not-the-password/);
  });

  it('says which Redis is unreachable, at once', async () => {
    await plain.stop();
    const error = await rejection(connectRedis({ url: plain.url }, 'test'));
    assert.ok(error instanceof RedisUnreachableError);
    assert.match(error.message, /Cannot use Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('says when the CA file cannot be read', async () => {
    const error = await rejection(connectRedis({ url: tls.url, caFile: '/nonexistent/ca.pem' }, 'test'));
    assert.ok(error instanceof RedisUnreachableError);
    assert.match(error.message, /cannot read the CA file \/nonexistent\/ca\.pem/);
  });
});
