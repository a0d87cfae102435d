import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distributedBackend } from './distributed-backend';

describe('the distributed backend definition', () => {
  const env = { NX_PARALLEL_REDIS_URL: 'redis://:hunter2@redis.internal:6379' };

  it('checks its own options into its settings', () => {
    const { distributed } = distributedBackend.checkOptions({ workerLockSeconds: 3 }, env);
    assert.equal(distributed?.redisUrl, env.NX_PARALLEL_REDIS_URL);
    assert.equal(distributed?.workerLockMs, 3000);
  });

  it('shows its settings without the Redis password or the secret', () => {
    const settings = distributedBackend.checkOptions({ distributedSecret: 'a secret of 16 chars' }, env);
    const shown = distributedBackend.redactSettings?.(settings).distributed;
    assert.equal(shown?.redisUrl, 'redis://:***@redis.internal:6379');
    assert.equal(shown?.secret, '***');
    assert.equal(settings.distributed?.secret, 'a secret of 16 chars', 'the settings themselves are unchanged');
  });
});
