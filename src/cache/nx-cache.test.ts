import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheDisabledReason } from './nx-cache';

describe('cacheDisabledReason', () => {
  it('is undefined when nothing turns the cache off', () => {
    assert.equal(cacheDisabledReason(false, {}), undefined);
  });

  it('names each off switch', () => {
    assert.equal(cacheDisabledReason(true, {}), 'the skipCache option');
    assert.equal(cacheDisabledReason(false, { NX_SKIP_NX_CACHE: 'true' }), '--skip-nx-cache');
    assert.equal(cacheDisabledReason(false, { NX_DISABLE_NX_CACHE: 'true' }), 'NX_DISABLE_NX_CACHE');
    assert.equal(cacheDisabledReason(false, { NX_SKIP_NX_CACHE: 'false' }), undefined);
  });
});
